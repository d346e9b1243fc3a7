namespace Migration.Persistence;

public sealed record PersistenceSettings
{
    /// <summary>The run whose events these are; stored persistence ids are <c>RUN-ID/ACTOR-ID</c>. Letters, digits, '-', '_', '.'.</summary>
    public required string RunId { get; init; }

    public PersistenceMode Mode { get; init; } = PersistenceMode.Record;

    /// <summary>The window of virtual time committed as one transaction. Default 100 ms.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most events one window may buffer before its commit. Default 1 million.</summary>
    public int WindowEventsMax { get; init; } = 1_000_000;

    /// <summary>
    /// Whether another process creates and closes the run's row (a cluster's coordinator, whose nodes
    /// each write their own hosts' events into one run): Record then joins a run already started
    /// rather than starting one, and no process but that one finishes it. Default false.
    /// </summary>
    public bool SharedRun { get; init; }

    /// <summary>Rows fetched per query during recovery and verification (at most 10,000). Default 4,096.</summary>
    public int ReadBatchSize { get; init; } = 4_096;

    public void Validate()
    {
        if (string.IsNullOrEmpty(RunId) || !RunId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException($"run id '{RunId}' must be letters, digits, '-', '_' or '.'", nameof(RunId));
        if (CommitInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CommitInterval), CommitInterval, "must be positive");
        if (WindowEventsMax < 1) throw new ArgumentOutOfRangeException(nameof(WindowEventsMax), WindowEventsMax, "must be positive");
        if (ReadBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(ReadBatchSize), ReadBatchSize, "must be positive");
    }
}
