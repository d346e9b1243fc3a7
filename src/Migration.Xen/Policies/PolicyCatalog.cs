namespace Migration.Xen.Policies;

/// <summary>One line per policy for `migration policies`: what it refuses, and where it comes from.</summary>
public static class PolicyCatalog
{
    public sealed record Entry(VetoPolicy Policy, string Name, string Refuses, string Origin);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new(VetoPolicy.IommuEnabled, "iommu-enabled", "log-dirty refused when the IOMMU is enabled for the domain, even with no device",
            "Xen 4.13 development, f89f555827: the needless veto seeds/002 set out to fix"),
        new(VetoPolicy.HasDevices, "has-devices", "log-dirty refused when a PCI device is assigned (has_arch_pdevs)",
            "Xen 4.13 release to today, 9ef9f69466 \"x86/mm: don't needlessly veto migration\""),
        new(VetoPolicy.SharedPt, "shared-pt", "log-dirty refused when a device is assigned and page tables are shared with the IOMMU",
            "the patch as posted (v1/v2) in seeds/002, not merged"),
        new(VetoPolicy.BusMaster, "bus-master", "as shared-pt, counting only devices with bus-master enable set",
            "the incremental check proposed in seeds/002"),
        new(VetoPolicy.DeclaredReadOnly, "declared-read-only", "as has-devices, not counting devices declared to DMA read-only",
            "option 3 in seeds/002: the toolstack reports device properties"),
        new(VetoPolicy.ExternalDirty, "external-dirty", "refused when a device that can write by DMA has no emulator reporting its dirty pages",
            "the per-device \"I supply log-dirty for $BDF\" proposal in seeds/002"),
        new(VetoPolicy.ToolstackDecides, "toolstack-decides", "never refused: the toolstack alone decides",
            "option 2 in seeds/002: delete the vetoes and trust the toolstack"),
    ];
}
