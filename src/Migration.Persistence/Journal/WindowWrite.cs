namespace Migration.Persistence.Journal;

/// <summary>
/// Everything one window of virtual time wrote, stored in one transaction: after a crash the
/// journal holds whole windows or nothing of them.
/// </summary>
/// <param name="Events">In delivery order; the store assigns increasing orderings in this order.</param>
/// <param name="RunId">The run whose progress is recorded, if any.</param>
/// <param name="CommittedTicks">The window's end: every event of the run before it is now stored.</param>
public sealed record WindowWrite(
    IReadOnlyList<PersistentRow> Events,
    IReadOnlyList<SnapshotRow> Snapshots,
    IReadOnlyList<DeleteRequest> Deletes,
    string? RunId,
    long CommittedTicks)
{
    public bool IsEmpty => Events.Count == 0 && Snapshots.Count == 0 && Deletes.Count == 0 && RunId is null;
}
