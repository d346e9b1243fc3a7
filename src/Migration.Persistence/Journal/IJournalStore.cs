namespace Migration.Persistence.Journal;

/// <summary>
/// A journal and snapshot store on one back end (SQLite, PostgreSQL). Reads stream in bounded
/// batches; a window's writes are one transaction. Not thread-safe: one caller at a time.
/// </summary>
public interface IJournalStore : IDisposable
{
    /// <summary>The journal's URI, as a person would type it (without a password).</summary>
    string DisplayUri { get; }

    void WriteWindow(WindowWrite write);

    /// <summary>
    /// The rows of <paramref name="persistenceId"/> from <paramref name="fromSequenceNr"/> to
    /// <paramref name="toSequenceNr"/> (inclusive), in sequence order, deleted ones flagged,
    /// fetched <paramref name="batchSize"/> at a time.
    /// </summary>
    IEnumerable<StoredEvent> ReadEvents(string persistenceId, long fromSequenceNr, long toSequenceNr, int batchSize);

    /// <summary>The highest sequence number ever written for the id (deleted rows count), or 0.</summary>
    long ReadHighestSequenceNr(string persistenceId);

    /// <summary>Rows carrying <paramref name="tag"/> with an ordering after <paramref name="afterOrdering"/>, in ordering order.</summary>
    IEnumerable<StoredEvent> ReadTagged(string tag, long afterOrdering, int batchSize);

    /// <summary>The newest snapshot at or before <paramref name="maxSequenceNr"/>, or null.</summary>
    SnapshotRow? LoadSnapshot(string persistenceId, long maxSequenceNr);

    /// <summary>The persistence ids that start with <paramref name="prefix"/>, in order.</summary>
    IReadOnlyList<string> ReadPersistenceIds(string prefix);

    void CreateRun(RunRecord run);

    void FinishRun(string runId, RunStatus status, string? resultHash, DateTimeOffset finished);

    RunRecord? ReadRun(string runId);

    /// <summary>Every stored run, newest first.</summary>
    IReadOnlyList<RunRecord> ReadRuns();
}
