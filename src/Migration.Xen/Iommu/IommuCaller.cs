namespace Migration.Xen.Iommu;

/// <summary>
/// The callers of <c>iommu_map_page()</c> and <c>iommu_unmap_page()</c> that seeds/000 goes through,
/// in the thread's order (its items 1 to 11). <see cref="IommuCallers"/> says what each does when a
/// page fails.
/// </summary>
public enum IommuCaller
{
    /// <summary>1. <c>memory_add()</c>: memory hot-added to the hardware domain.</summary>
    MemoryAdd,

    /// <summary>2. <c>vtd_set_hwdom_mapping()</c>: the hardware domain's mappings at boot.</summary>
    HardwareDomainMapping,

    /// <summary>3. <c>__gnttab_map_grant_ref()</c>: a backend maps a guest's grant.</summary>
    GrantMap,

    /// <summary>4. <c>__gnttab_unmap_common()</c>: a backend unmaps a guest's grant.</summary>
    GrantUnmap,

    /// <summary>5. <c>guest_physmap_add_entry()</c>: pages populated into a domain (a balloon inflating back).</summary>
    PhysmapAdd,

    /// <summary>6. <c>clear_identity_p2m_entry()</c>: an identity (RMRR) mapping removed.</summary>
    ClearIdentity,

    /// <summary>7. <c>set_identity_p2m_entry()</c>: an identity (RMRR) mapping made for an assigned device.</summary>
    SetIdentity,

    /// <summary>8. <c>p2m_remove_page()</c>: pages removed from a domain (a balloon's frees).</summary>
    P2mRemovePage,

    /// <summary>9. <c>p2m_pt_set_entry()</c>: a P2M entry updated, AMD and shadow page tables.</summary>
    P2mPtSetEntry,

    /// <summary>10. <c>ept_set_entry()</c>: a P2M entry updated, Intel EPT.</summary>
    EptSetEntry,

    /// <summary>11. <c>__get_page_type()</c>: a PV page's type changes to or from writable.</summary>
    GetPageType,
}
