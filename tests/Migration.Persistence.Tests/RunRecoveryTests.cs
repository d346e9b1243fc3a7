using Migration.Actors;
using Migration.Actors.Util;
using Migration.Benchmarks.Ledger;
using Migration.Persistence.Journal;

namespace Migration.Persistence.Tests;

/// <summary>Whole runs: recorded, stopped part-way and resumed, verified, on both back ends.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public class RunRecoveryTests(string backendName) : BackendFixture(backendName)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private static LedgerOptions Options(ulong seed, ExecutionMode mode = ExecutionMode.Sequential) => new()
    {
        Seed = seed,
        Hosts = 3,
        Accounts = 24,
        TickInterval = TimeSpan.FromMilliseconds(4),
        Duration = TimeSpan.FromMilliseconds(400),
        Mode = mode,
        DeleteAfterSnapshot = true,
    };

    private (ActorSystem System, PersistenceExtension Journal) Record(LedgerOptions options, string runId, TimeSpan? stopAt = null) =>
        LedgerWorkload.RunWithJournal(options, Store, new PersistenceSettings { RunId = runId, CommitInterval = Interval }, stopAt);

    [TestCase(11UL)]
    [TestCase(12UL)]
    public void ARunStoppedAtARandomWindow_AndResumed_EndsWithTheSameHashAndJournalAsAnUninterruptedRun(ulong seed)
    {
        var options = Options(seed);
        var (reference, _) = Record(options, "reference");
        // The stop point is drawn from the seed, anywhere in the run, mid-window.
        var random = new DeterministicRandom(seed);
        var stopAt = TimeSpan.FromTicks(random.Next(Interval.Ticks, options.Duration.Ticks));
        Record(options, "stopped", stopAt);
        var committed = Store.ReadRun("stopped")!.CommittedTicks;
        Assert.That(committed, Is.EqualTo(stopAt.Ticks / Interval.Ticks * Interval.Ticks), $"seed {seed}: only whole windows before {stopAt} are stored");

        var (resumed, journal) = JournalReplay.Resume(Store, "stopped", new LedgerRunDefinition(), Interval);

        Assert.That(resumed.ResultHash, Is.EqualTo(reference.ResultHash), $"seed {seed}, stopped at {stopAt}");
        Assert.That(journal.EventsVerified, Is.GreaterThan(0), $"seed {seed}: the stored windows were checked, not rewritten");
        Assert.That(JournalRows.Of(Store, "stopped"), Is.EqualTo(JournalRows.Of(Store, "reference")), $"seed {seed}");
        var run = Store.ReadRun("stopped")!;
        Assert.That((run.Status, run.ResultHash), Is.EqualTo((RunStatus.Completed, reference.ResultHash)), $"seed {seed}");
    }

    [Test]
    public void Verify_ReproducesTheStoredHash_FromTheStoredSettings()
    {
        var (recorded, _) = Record(Options(21), "run");
        var result = JournalReplay.Verify(Store, "run", new LedgerRunDefinition());
        Assert.That(result.Divergences, Is.Empty);
        Assert.That(result.RecomputedHash, Is.EqualTo(recorded.ResultHash));
        Assert.That(result.Matches, Is.True);
        Assert.That(result.EventsVerified, Is.EqualTo(JournalRows.Of(Store, "run").Count));
    }

    [Test]
    public void Verify_ReportsATamperedEvent_WithItsPersistenceIdAndSequenceNumber()
    {
        Record(Options(22), "run");
        // Another account's event in its place: well-formed, but not what the run persisted.
        Backend.ExecuteRaw("UPDATE journal SET message = (SELECT message FROM journal WHERE persistence_id = 'run/account-6' AND sequence_number = 4) " +
                           "WHERE persistence_id = 'run/account-5' AND sequence_number = 4");
        var result = JournalReplay.Verify(Store, "run", new LedgerRunDefinition());
        Assert.That(result.Matches, Is.False);
        var divergence = result.Divergences.First();
        Assert.That((divergence.PersistenceId, divergence.SequenceNr), Is.EqualTo(("run/account-5", 4L)));
    }

    [Test]
    public void TheJournal_IsTheSame_InSequentialAndWindowedExecution()
    {
        var (sequential, _) = Record(Options(31), "sequential");
        var (windowed, _) = Record(Options(31, ExecutionMode.Windowed), "windowed");
        Assert.That(windowed.ResultHash, Is.EqualTo(sequential.ResultHash));
        Assert.That(JournalRows.Of(Store, "windowed"), Is.EqualTo(JournalRows.Of(Store, "sequential")));
    }

    [Test]
    public void RecordingARunIdTwice_IsRefused()
    {
        Record(Options(41), "run");
        var failure = Assert.Throws<JournalException>(() => Record(Options(41), "run"));
        Assert.That(failure!.Message, Does.Contain("already has a run 'run'"));
    }

    [Test]
    public void ResumingACompletedRun_IsRefused()
    {
        Record(Options(42), "run");
        var failure = Assert.Throws<JournalException>(() => JournalReplay.Resume(Store, "run", new LedgerRunDefinition(), Interval));
        Assert.That(failure!.Message, Does.Contain("is completed"));
    }
}
