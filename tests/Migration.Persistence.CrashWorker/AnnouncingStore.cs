using Migration.Persistence.Journal;

/// <summary>Passes everything to the real store and prints a line after each committed window.</summary>
internal sealed class AnnouncingStore(IJournalStore inner) : IJournalStore
{
    private long windows;

    public string DisplayUri => inner.DisplayUri;

    public void WriteWindow(WindowWrite write)
    {
        inner.WriteWindow(write);
        Console.WriteLine($"window {++windows}");
        Console.Out.Flush();
    }

    public IEnumerable<StoredEvent> ReadEvents(string persistenceId, long fromSequenceNr, long toSequenceNr, int batchSize) =>
        inner.ReadEvents(persistenceId, fromSequenceNr, toSequenceNr, batchSize);

    public long ReadHighestSequenceNr(string persistenceId) => inner.ReadHighestSequenceNr(persistenceId);

    public IEnumerable<StoredEvent> ReadTagged(string tag, long afterOrdering, int batchSize) => inner.ReadTagged(tag, afterOrdering, batchSize);

    public SnapshotRow? LoadSnapshot(string persistenceId, long maxSequenceNr) => inner.LoadSnapshot(persistenceId, maxSequenceNr);

    public IReadOnlyList<string> ReadPersistenceIds(string prefix) => inner.ReadPersistenceIds(prefix);

    public void CreateRun(RunRecord run) => inner.CreateRun(run);

    public void FinishRun(string runId, RunStatus status, string? resultHash, DateTimeOffset finished) => inner.FinishRun(runId, status, resultHash, finished);

    public RunRecord? ReadRun(string runId) => inner.ReadRun(runId);

    public IReadOnlyList<RunRecord> ReadRuns() => inner.ReadRuns();

    public void Dispose()
    {
    }
}
