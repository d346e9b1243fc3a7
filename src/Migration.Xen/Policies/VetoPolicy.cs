namespace Migration.Xen.Policies;

/// <summary>Where the hypervisor refuses to enable global log-dirty (and the assign_device rule that goes with it).</summary>
public enum VetoPolicy
{
    /// <summary>Refused when the IOMMU is enabled for the domain, even with no device (4.13 development, f89f555827).</summary>
    IommuEnabled,

    /// <summary>Refused when a PCI device is assigned (4.13 release and later, 9ef9f69466).</summary>
    HasDevices,

    /// <summary>Refused when a device is assigned and page tables are shared with the IOMMU (the patch as posted, v1/v2).</summary>
    SharedPt,

    /// <summary>As <see cref="SharedPt"/>, counting only devices with bus-master enable set (proposed in the thread).</summary>
    BusMaster,

    /// <summary>As <see cref="HasDevices"/>, not counting devices declared to DMA read-only (option 3).</summary>
    DeclaredReadOnly,

    /// <summary>Refused when an assigned device that can write by DMA has no emulator reporting its dirty pages.</summary>
    ExternalDirty,

    /// <summary>Never refused: the toolstack alone decides (option 2).</summary>
    ToolstackDecides,
}
