namespace Migration.Benchmarks.Ledger;

/// <summary>The ledger workload's knobs. Defaults make a small run.</summary>
public sealed record LedgerOptions
{
    public ulong Seed { get; init; } = 1;

    public int Hosts { get; init; } = 3;

    public int Accounts { get; init; } = 30;

    /// <summary>Each account transfers about once per 1 to 2 intervals.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan CrossHostLatency { get; init; } = TimeSpan.FromMilliseconds(1);

    public Actors.ExecutionMode Mode { get; init; } = Actors.ExecutionMode.Sequential;

    public bool DeleteAfterSnapshot { get; init; }
}
