using Migration.Benchmarks.Ledger;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Sqlite;

// Usage: CrashWorker JOURNAL-PATH RUN-ID SEED
// Records a long ledger run into a SQLite journal, printing "window N" after each committed
// window so the test knows writing is under way; the test kills it part-way with SIGKILL.
if (args.Length != 3 || !ulong.TryParse(args[2], out var seed))
{
    Console.Error.WriteLine("usage: CrashWorker JOURNAL-PATH RUN-ID SEED");
    return 2;
}
using var store = SqliteJournalStore.Open(args[0]);
var options = CrashRun.Options(seed);
var settings = new PersistenceSettings { RunId = args[1], CommitInterval = CrashRun.CommitInterval };
var (system, journal) = LedgerWorkload.Start(options, new AnnouncingStore(store), settings);
system.RunUntil(options.Duration);
journal.Complete(RunStatus.Completed, system.ResultHash, DateTimeOffset.UtcNow);
Console.WriteLine("done");
return 0;
