namespace Migration.Benchmarks.Ledger;

/// <summary>The ledger run the crash-safety test records in a separate process and kills part-way.</summary>
public static class CrashRun
{
    public static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(10);

    public static LedgerOptions Options(ulong seed) => new()
    {
        Seed = seed,
        Hosts = 3,
        Accounts = 60,
        TickInterval = TimeSpan.FromMilliseconds(2),
        Duration = TimeSpan.FromSeconds(20),
    };
}
