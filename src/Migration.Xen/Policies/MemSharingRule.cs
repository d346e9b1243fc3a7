namespace Migration.Xen.Policies;

/// <summary>
/// Turning mem_sharing on for a domain (<c>mem_sharing_control()</c>, xen/arch/x86/mm/mem_sharing.c):
/// refused with -EOPNOTSUPP without VT-x (<c>cpu_has_vmx</c>: an AMD host), then with -EXDEV while the
/// IOMMU is in use for the domain (a fork may be allowed explicitly; the simulation makes no forks).
/// The mirror of <see cref="AssignDeviceRule"/>'s mem_sharing check.
/// </summary>
public static class MemSharingRule
{
    public static Refusal? Check(DomainFacts domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Vendor == IommuVendor.Amd)
            return new Refusal(Refuser.Hypervisor, "mem-sharing/unsupported", "-EOPNOTSUPP", "enabling mem_sharing refused: it needs Intel VT-x (cpu_has_vmx); the host is AMD", Waivable: false);
        if (!domain.IommuInUse) return null;
        var why = domain.HasDevices ? $"{LogDirtyRule.Describe(domain.Devices)} assigned" : "the IOMMU is enabled for the domain (passthrough=)";
        return new Refusal(Refuser.Hypervisor, "mem-sharing/iommu", "-EXDEV", $"enabling mem_sharing refused: {why}", Waivable: false);
    }
}
