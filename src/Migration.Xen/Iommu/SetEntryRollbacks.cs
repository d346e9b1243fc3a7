namespace Migration.Xen.Iommu;

/// <summary>Each <see cref="SetEntryRollback"/>: its name, where it comes from and what it does.</summary>
public static class SetEntryRollbacks
{
    public static IReadOnlyList<ModeInfo<SetEntryRollback>> All { get; } =
    [
        new(SetEntryRollback.Xen, "xen", "Xen after seeds/000 (ept_set_entry(): while ( i-- ) iommu_unmap_page())",
            "a page failing to map at the end of set_entry unmaps the pages this call mapped; the P2M entry, written first, stays"),
        new(SetEntryRollback.Thread, "thread", "seeds/000 items 9 and 10: proposed, left open",
            "no rollback: the error is returned and the pages mapped before the failure stay mapped"),
    ];
}
