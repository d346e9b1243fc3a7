namespace Migration.Xen.Policies;

/// <summary>The domain flags the veto rules read (DESIGN.md section 1).</summary>
public sealed record DomainFacts
{
    public required string Name { get; init; }

    public bool IsHardwareDomain { get; init; }

    /// <summary>The IOMMU of the host this context lives on (which also says x86 or Arm).</summary>
    public IommuVendor Vendor { get; init; } = IommuVendor.Intel;

    /// <summary>
    /// IOMMU enabled for the domain at creation (xl.cfg <c>passthrough=</c>, or created with a PCI device
    /// where the context lives for the domain's life): kept with or without a device.
    /// </summary>
    public bool IommuEnabled { get; init; }

    /// <summary>When the host's IOMMU context for a domain exists (the Xen release's model).</summary>
    public IommuLifetime IommuLifetime { get; init; } = IommuLifetime.Domain;

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
    /// Whether the IOMMU is in use for the domain: enabled at creation, or while a device is assigned
    /// (where the context lives only that long, as before 4.13). This is what the reverse checks
    /// read: enabling mem_sharing (-EXDEV) or mem_paging (-EMLINK).
    /// </summary>
    public bool IommuInUse => IommuEnabled || HasDevices;

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
