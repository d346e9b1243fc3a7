namespace Migration.Persistence;

/// <summary>
/// A stored row that cannot be read back: a corrupted payload, an unknown manifest, a gap in the
/// sequence numbers. Names the persistence id and sequence number; only that actor's recovery
/// fails, every other actor and run still reads.
/// </summary>
public sealed class JournalDataException(string persistenceId, long sequenceNr, string problem, Exception? inner = null)
    : JournalException($"journal data for '{persistenceId}' at sequence number {sequenceNr}: {problem}", inner!)
{
    public string PersistenceId { get; } = persistenceId;

    public long SequenceNr { get; } = sequenceNr;
}
