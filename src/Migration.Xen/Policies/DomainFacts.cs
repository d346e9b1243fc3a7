namespace Migration.Xen.Policies;

/// <summary>The domain flags the veto rules read (DESIGN.md section 1).</summary>
public sealed record DomainFacts
{
    public required string Name { get; init; }

    public bool IsHardwareDomain { get; init; }

    /// <summary>IOMMU enabled for the domain (<c>is_iommu_enabled</c>); an assigned device implies it.</summary>
    public bool IommuEnabled { get; init; }

    /// <summary>Page tables shared with the IOMMU (<c>iommu_use_hap_pt</c>).</summary>
    public bool SharedPageTables { get; init; }

    public IReadOnlyList<DeviceFacts> Devices { get; init; } = [];

    public bool MemSharing { get; init; }

    public bool MemPaging { get; init; }

    public bool PopulateOnDemand { get; init; }

    /// <summary>Global log-dirty mode is on.</summary>
    public bool GlobalLogDirty { get; init; }

    public bool Nomigrate { get; init; }

    public TscMode Tsc { get; init; } = TscMode.Default;

    /// <summary><c>has_arch_pdevs(d)</c>: at least one PCI device assigned.</summary>
    public bool HasDevices => Devices.Count > 0;

    /// <summary>
    /// Whether page tables are shared for a domain on a host: the host's <c>iommu=sharept</c>, never on
    /// AMD, always on Arm, and not when the domain asked for <c>passthrough=sync_pt</c>.
    /// </summary>
    public static bool SharesPageTables(IommuVendor vendor, bool hostSharePt, bool domainSyncPt) => vendor switch
    {
        IommuVendor.Amd => false,
        IommuVendor.Arm => true,
        _ => hostSharePt && !domainSyncPt,
    };
}
