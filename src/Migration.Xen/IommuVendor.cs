namespace Migration.Xen;

public enum IommuVendor
{
    Intel,

    /// <summary>The AMD IOMMU supports only plain RAM entries: page tables are never shared with the P2M.</summary>
    Amd,

    /// <summary>The Arm SMMU/IPMMU walks the P2M itself: page tables are always shared.</summary>
    Arm,
}
