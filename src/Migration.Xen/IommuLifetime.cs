namespace Migration.Xen;

/// <summary>When a domain's IOMMU context exists: the one thing about the IOMMU that changed between Xen releases and that the rules read.</summary>
public enum IommuLifetime
{
    /// <summary>
    /// Xen 4.13 and later: enabled per domain at creation (<c>is_iommu_enabled</c>; libxl enables it
    /// for a domain created with a PCI device or with <c>passthrough=</c>) and kept for the domain's
    /// life. Assigning to a domain without it fails with -EOPNOTSUPP; mem_sharing and mem_paging stay
    /// refused after the last device is unplugged.
    /// </summary>
    Domain,

    /// <summary>
    /// Xen 4.5 to 4.12: IOMMU page tables built at the first assignment and torn down at the last
    /// de-assignment (<c>need_iommu</c>, <c>has_iommu_pt</c>). Unplugging every device makes the domain
    /// one without an IOMMU again, so mem_sharing and mem_paging can be turned on.
    /// </summary>
    Assignment,
}
