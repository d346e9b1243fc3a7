namespace Migration.Persistence.Journal;

/// <summary>One journal row as read back. Deleted rows are returned (flagged) so readers can tell a deletion from a gap.</summary>
public sealed record StoredEvent(
    long Ordering, string PersistenceId, long SequenceNr, long CreatedTicks, IReadOnlyList<string> Tags,
    string Manifest, byte[] Payload, string Writer, bool Deleted);
