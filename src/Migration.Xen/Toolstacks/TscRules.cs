namespace Migration.Xen.Toolstacks;

/// <summary>Which TSC a guest relies on, and whether a destination can give it the same one.</summary>
public static class TscRules
{
    /// <summary>
    /// The TSC a guest relies on. Since 4.15 xl.cfg <c>nomigrate</c> only exposes invariant TSC to the
    /// guest (XEN-FACTS.md, Toolstacks: the hypervisor's disable_migrate went in baa4d064e9), so a nomigrate domain relies on it as one
    /// declared <c>invariant</c> does, unless its TSC is emulated. The TSC is x86: on Arm hosts the
    /// guest uses the generic timer and nothing here applies.
    /// </summary>
    public static TscMode Effective(TscMode declared, bool nomigrate, IommuVendor vendor)
    {
        if (Architecture.IsArm(vendor)) return TscMode.Default;
        return declared == TscMode.Default && nomigrate ? TscMode.Invariant : declared;
    }

    /// <summary>
    /// Whether a guest relying on an invariant TSC keeps a native one on the destination: the
    /// destination scales the TSC, or runs at the guest's frequency already. The thread (seeds/002,
    /// Andrew Cooper) names scaling; Xen's own restore path treats an equal frequency the same way:
    /// <c>tsc_set_info()</c> in xen/arch/x86/time.c keeps native RDTSC when
    /// <c>d-&gt;arch.tsc_khz == cpu_khz</c> or the TSC can be scaled, and emulates it otherwise
    /// (82713ec8d2, Xen 4.5, "use native RDTSC(P) execution when guest and host frequencies are the
    /// same"; 4fc380ac00, Xen 4.9, whatever the incarnation).
    /// </summary>
    public static bool NativeOnDestination(TscMode tsc, bool destinationScales, long destinationKhz, long guestKhz) =>
        tsc != TscMode.Invariant || destinationScales || destinationKhz == guestKhz;
}
