using System.Diagnostics;
using Migration.Benchmarks.Ledger;
using Migration.Persistence.Journal;
using Migration.Persistence.Sqlite;

namespace Migration.Persistence.Tests;

/// <summary>A process killed with SIGKILL while it writes leaves only whole windows, and the run can be finished.</summary>
public class CrashSafetyTests
{
    private const ulong Seed = 77;
    private static readonly TimeSpan WaitMax = TimeSpan.FromSeconds(120);

    [Test]
    public void AKilledWriter_LeavesWholeWindows_AndTheRunResumesToTheUninterruptedResult()
    {
        var directory = Directory.CreateTempSubdirectory("migration-crash-").FullName;
        try
        {
            var journalPath = Path.Combine(directory, "journal.db");
            var windowsSeen = KillWriterAfterWindows(journalPath, windows: 25);

            using var store = SqliteJournalStore.Open(journalPath);
            var run = store.ReadRun("crashed")!;
            Assert.That(run.Status, Is.EqualTo(RunStatus.Running), "the killed run was never closed");
            Assert.That(run.CommittedTicks, Is.GreaterThanOrEqualTo(windowsSeen * CrashRun.CommitInterval.Ticks));

            // The same run, uninterrupted and in this process, is the reference.
            var options = CrashRun.Options(Seed);
            var (reference, _) = LedgerWorkload.RunWithJournal(options, store,
                new PersistenceSettings { RunId = "reference", CommitInterval = CrashRun.CommitInterval });
            var referenceRows = JournalRows.Of(store, "reference");
            var committedRows = JournalRows.Of(store, "crashed");
            var referenceBeforeCut = store.ReadPersistenceIds("reference/")
                .SelectMany(id => store.ReadEvents(id, 1, long.MaxValue, 1_000))
                .Count(row => row.CreatedTicks < run.CommittedTicks);
            Assert.That(committedRows, Has.Count.EqualTo(referenceBeforeCut), "every event before the last committed window is there, and nothing after");
            Assert.That(committedRows, Is.EqualTo(referenceRows.Take(committedRows.Count)), "the stored windows are exactly the reference's first windows");

            var (resumed, _) = JournalReplay.Resume(store, "crashed", new LedgerRunDefinition(), CrashRun.CommitInterval);
            Assert.That(resumed.ResultHash, Is.EqualTo(reference.ResultHash), $"seed {Seed}");
            Assert.That(JournalRows.Of(store, "crashed"), Is.EqualTo(referenceRows), $"seed {Seed}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Starts the crash worker, waits until it has committed <paramref name="windows"/> windows, kills it.</summary>
    private static int KillWriterAfterWindows(string journalPath, int windows)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Migration.Persistence.CrashWorker.dll");
        Assert.That(File.Exists(worker), Is.True, $"the crash worker was not built next to the tests ({worker})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { worker, journalPath, "crashed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var seen = 0;
        var deadline = Stopwatch.StartNew();
        try
        {
            while (seen < windows)
            {
                var line = process.StandardOutput.ReadLineAsync().WaitAsync(WaitMax - deadline.Elapsed).GetAwaiter().GetResult();
                if (line is null) Assert.Fail($"the worker exited before {windows} windows: {process.StandardError.ReadToEnd()}");
                if (line!.StartsWith("window ", StringComparison.Ordinal)) seen++;
                if (line == "done") Assert.Fail("the worker finished before it could be killed; make its run longer");
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL on Linux: no chance to finish the window it is writing
            process.WaitForExit((int)WaitMax.TotalMilliseconds);
        }
        return seen;
    }
}
