namespace Migration.Xen.Iommu;

/// <summary>
/// Where Xen and seeds/000 disagree: what <c>p2m_pt_set_entry()</c> and <c>ept_set_entry()</c> do
/// when a page fails to map at the end of the function, the P2M entry already written (the thread's
/// items 9 and 10, left "open").
/// </summary>
public enum SetEntryRollback
{
    /// <summary>
    /// What Xen's <c>ept_set_entry()</c> does after the thread: the pages this call mapped in the
    /// IOMMU are unmapped again (<c>while ( i-- ) iommu_unmap_page(...)</c>, then <c>break</c>); the
    /// P2M entry, written first, stays. <c>p2m_pt_set_entry()</c> is modelled the same (the thread
    /// treats the two alike).
    /// </summary>
    Xen,

    /// <summary>What the thread proposed: no rollback, just the error; the pages mapped before the failure stay mapped.</summary>
    Thread,
}
