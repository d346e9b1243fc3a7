namespace Migration.Xen.Iommu;

/// <summary>
/// seeds/000's table of the IOMMU's callers, with XEN-FACTS.md's rule for <c>iommu_map_page()</c> and
/// <c>iommu_unmap_page()</c> themselves: a failed page crashes a guest at once; the hardware domain
/// only gets the error. A map loop then does what its caller's row says; an unmap loop stops for a
/// guest and goes on for the hardware domain, which gets the first error.
/// </summary>
public static class IommuCallers
{
    /// <summary>What an injected failure returns from <c>iommu_map_page()</c>: the page-table allocation the VT-d and AMD drivers make failed.</summary>
    public const string PageError = "-ENOMEM";

    private static readonly IommuOperation[] MapOnly = [IommuOperation.Map];
    private static readonly IommuOperation[] UnmapOnly = [IommuOperation.Unmap];
    private static readonly IommuOperation[] Both = [IommuOperation.Map, IommuOperation.Unmap];

    /// <summary>Every caller, in the thread's order.</summary>
    public static IReadOnlyList<IommuCallerRule> All { get; } =
    [
        // "Existing code already rolls back through destroy_m2p cleanly."
        new(IommuCaller.MemoryAdd, "memory_add()", 1, MapOnly, IommuRollback.UnmapThisCall, P2mUpdate.OnSuccess, HardwareDomainOnly: true, AtRunTime: true, PageError),
        // "It is in early initialization phase ... propose to leave as it is."
        new(IommuCaller.HardwareDomainMapping, "vtd_set_hwdom_mapping()", 2, MapOnly, IommuRollback.Continue, P2mUpdate.First, HardwareDomainOnly: true, AtRunTime: false, PageError),
        // "rc = GNTST_general_error; goto undo_out;"
        new(IommuCaller.GrantMap, "__gnttab_map_grant_ref()", 3, MapOnly, IommuRollback.UnmapThisCall, P2mUpdate.OnSuccess, HardwareDomainOnly: false, AtRunTime: true, "GNTST_general_error"),
        // The host mapping is gone before the IOMMU is asked: "if ( err ) rc = GNTST_general_error;"
        new(IommuCaller.GrantUnmap, "__gnttab_unmap_common()", 4, UnmapOnly, IommuRollback.StopAndKeep, P2mUpdate.First, HardwareDomainOnly: false, AtRunTime: true, "GNTST_general_error"),
        // "while ( i-- > 0 ) iommu_unmap_page(d, mfn + i); return rc;" at the start of the function.
        new(IommuCaller.PhysmapAdd, "guest_physmap_add_entry()", 5, MapOnly, IommuRollback.UnmapThisCall, P2mUpdate.OnSuccess, HardwareDomainOnly: false, AtRunTime: true, PageError),
        // "in the start, and error already rolled back to caller."
        new(IommuCaller.ClearIdentity, "clear_identity_p2m_entry()", 6, UnmapOnly, IommuRollback.StopAndKeep, P2mUpdate.OnSuccess, HardwareDomainOnly: false, AtRunTime: true, PageError),
        new(IommuCaller.SetIdentity, "set_identity_p2m_entry()", 7, MapOnly, IommuRollback.StopAndKeep, P2mUpdate.OnSuccess, HardwareDomainOnly: false, AtRunTime: true, PageError),
        // "print a warning and simply return error here": the pages leave the domain all the same.
        new(IommuCaller.P2mRemovePage, "p2m_remove_page()", 8, UnmapOnly, IommuRollback.StopAndKeep, P2mUpdate.First, HardwareDomainOnly: false, AtRunTime: true, PageError),
        // Items 9 and 10: the entry is written first, the IOMMU loop is "in the end of the func";
        // their map rollback is the SetEntryRollback mode.
        new(IommuCaller.P2mPtSetEntry, "p2m_pt_set_entry()", 9, Both, IommuRollback.UnmapThisCall, P2mUpdate.First, HardwareDomainOnly: false, AtRunTime: true, PageError),
        new(IommuCaller.EptSetEntry, "ept_set_entry()", 10, Both, IommuRollback.UnmapThisCall, P2mUpdate.First, HardwareDomainOnly: false, AtRunTime: true, PageError),
        // PV only ("we can classify it as normal PV domain and be treated as a fatal error"); simulated guests are HVM.
        new(IommuCaller.GetPageType, "__get_page_type()", 11, Both, IommuRollback.StopAndKeep, P2mUpdate.First, HardwareDomainOnly: false, AtRunTime: false, PageError),
    ];

    public static IommuCallerRule Of(IommuCaller caller) => All[(int)caller];
}
