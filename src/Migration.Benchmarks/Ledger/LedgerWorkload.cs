using Migration.Actors;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;
using Migration.Workload;

namespace Migration.Benchmarks.Ledger;

/// <summary>
/// Builds and runs the ledger: persistent accounts spread over hosts, transferring amounts to each
/// other on seeded timers. Used by the journal benchmark and the persistence tests.
/// </summary>
public static class LedgerWorkload
{
    /// <summary>The journal types of the ledger, with the adapter reading the first version of Received.</summary>
    public static EventSerializer Serializer() => new EventSerializer()
        .Register<Transferred>()
        .Register<Workload.Received>(version: 2)
        .Register<AccountSnapshot>()
        .RegisterAdapter(EventSerializer.ManifestOf(Workload.Received.Descriptor.FullName, 1), payload =>
        {
            var old = ReceivedV1.Parser.ParseFrom(payload);
            return new Workload.Received { From = old.From, Amount = old.AmountCents / 100, TransferId = 0 };
        });

    /// <summary>The ledger's actor system (no accounts yet), from its options.</summary>
    public static ActorSystem CreateSystem(LedgerOptions options) => ActorSystem.Create("ledger", new ActorSystemSettings
    {
        Seed = options.Seed,
        HostCount = options.Hosts,
        Mode = options.Mode,
        CrossHostLatency = options.CrossHostLatency,
    });

    /// <summary>Creates the accounts in <paramref name="system"/> (after a journal was attached) and introduces them.</summary>
    public static IActorRef[] Populate(ActorSystem system, LedgerOptions options)
    {
        var accounts = Enumerable.Range(0, options.Accounts)
            .Select(i =>
            {
                var name = $"account-{i}";
                return system.ActorOf(Props.Create(() => new AccountActor(name, options)), name, host: i % options.Hosts);
            })
            .ToArray();
        foreach (var account in accounts) account.Tell(new AccountActor.Peers(accounts));
        return accounts;
    }

    /// <summary>
    /// Creates the system with a journal attached (recording a new run, or resuming or verifying a
    /// stored one) and its accounts, ready to run.
    /// </summary>
    public static (ActorSystem System, PersistenceExtension Journal) Start(LedgerOptions options, IJournalStore store, PersistenceSettings settings)
    {
        var system = CreateSystem(options);
        var run = new RunRecord(settings.RunId, "ledger workload", options.Seed, Describe(options), PersistenceExtension.EngineVersion,
            null, DateTimeOffset.UtcNow, null, RunStatus.Running, 0);
        var journal = PersistenceExtension.Attach(system, store, Serializer(), settings, run);
        Populate(system, options);
        return (system, journal);
    }

    /// <summary>
    /// Runs the ledger with a journal to its end and closes the run (or, in Verify mode, checks that
    /// every stored event was persisted again). <paramref name="stopAt"/> ends the run early without
    /// closing it, as a crash would.
    /// </summary>
    public static (ActorSystem System, PersistenceExtension Journal) RunWithJournal(
        LedgerOptions options, IJournalStore store, PersistenceSettings settings, TimeSpan? stopAt = null)
    {
        var (system, journal) = Start(options, store, settings);
        var stopped = stopAt is { } stop && stop < options.Duration;
        var result = system.RunUntil(stopped ? stopAt!.Value : options.Duration);
        if (!result.Completed) throw new InvalidOperationException($"seed {options.Seed}: the ledger run stopped at its event limit");
        if (stopped) return (system, journal);
        if (settings.Mode == PersistenceMode.Verify) journal.CheckEverythingVerified();
        else journal.Complete(RunStatus.Completed, system.ResultHash, DateTimeOffset.UtcNow);
        return (system, journal);
    }

    public static string Describe(LedgerOptions options) => System.Text.Json.JsonSerializer.Serialize(new
    {
        options.Seed,
        options.Hosts,
        options.Accounts,
        tickIntervalTicks = options.TickInterval.Ticks,
        durationTicks = options.Duration.Ticks,
        crossHostLatencyTicks = options.CrossHostLatency.Ticks,
        mode = options.Mode.ToString(),
        options.DeleteAfterSnapshot,
    });
}
