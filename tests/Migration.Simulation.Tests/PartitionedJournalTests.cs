using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Tests;
using Migration.Scenarios;
using Migration.Simulation.Distributed;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Simulation.Tests;

/// <summary>
/// A run spread over partitions, each writing its own hosts' events into one run of one journal (as
/// a cluster's nodes do), stores what a run in one process stores: <c>replay --verify</c> executes it
/// again in one process and every event and the result hash match. A run stopped part-way by a
/// failed commit is finished by executing it again from the start in Resume mode.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class PartitionedJournalTests(string backend)
{
    private DirectoryInfo? directory;
    private string? schema;

    private IJournalStore OpenStore()
    {
        if (backend == "sqlite")
        {
            directory ??= Directory.CreateTempSubdirectory("migration-partitioned-");
            return JournalUri.Open("sqlite:" + Path.Combine(directory.FullName, "journal.db"));
        }
        var connectionString = PostgresTestDatabase.CreateSchema(out var created);
        schema = created;
        return JournalUri.Open("postgres:" + connectionString);
    }

    [TearDown]
    public void Clean()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory?.Delete(recursive: true);
        directory = null;
        if (schema is not null) PostgresTestDatabase.DropSchema(schema);
        schema = null;
    }

    private static IReadOnlyCollection<int>[] RoundRobin(int hosts, int partitions) =>
        Enumerable.Range(0, partitions).Select(p => (IReadOnlyCollection<int>)Enumerable.Range(0, hosts).Where(h => h % partitions == p).ToArray())
            .Where(p => p.Count > 0).ToArray();

    [TestCase("thread-arguments", VetoPolicy.ToolstackDecides)]
    [TestCase("assign-during-log-dirty", VetoPolicy.HasDevices)]
    [TestCase("datacenter", VetoPolicy.IommuEnabled)]
    [TestCase("altp2m-sharing", VetoPolicy.HasDevices)]
    public void APartitionedRun_IsVerifiedInOneProcess(string name, VetoPolicy policy)
    {
        var scenario = Scenarios.BuiltIn(name);
        var options = new RunOptions { Policy = policy, Seed = 7 };
        using var store = OpenStore();
        store.CreateRun(Simulator.RunRecordOf(scenario, options, "split-1"));
        var split = PartitionedRun.Execute(scenario.Scenario, options, RoundRobin(scenario.Scenario.Hosts.Count, 3), out _,
            (store, "split-1", PersistenceMode.Record));
        store.FinishRun("split-1", RunStatus.Completed, split.ResultHash, DateTimeOffset.UtcNow);

        Assert.That(split.ResultHash, Is.EqualTo(Simulator.Execute(scenario.Scenario, options).ResultHash), $"seed 7, {name}");
        Assert.That(split.RunId, Is.EqualTo("split-1"));
        var verified = Simulator.Verify(store, "split-1");
        Assert.That(verified.Divergences, Is.Empty, $"seed 7, {name}: {string.Join("; ", verified.Divergences.Take(3).Select(d => d.Message))}");
        Assert.That(verified.EventsVerified, Is.GreaterThan(0), $"seed 7, {name}");
        Assert.That(verified.RecomputedHash, Is.EqualTo(verified.StoredHash), $"seed 7, {name}");
    }

    [TestCase(1)]
    [TestCase(40)]
    [TestCase(400)]
    public void ARunStoppedPartWay_IsFinishedByResumingFromTheStart(int commitsBeforeTheCrash)
    {
        var scenario = Scenarios.BuiltIn("datacenter");
        var options = new RunOptions { Policy = VetoPolicy.BusMaster, Seed = 9 };
        var hosts = RoundRobin(scenario.Scenario.Hosts.Count, 3);
        using var store = OpenStore();
        store.CreateRun(Simulator.RunRecordOf(scenario, options, "crash-1"));
        var crashing = new CrashingStore(store, commitsBeforeTheCrash);
        Assert.Throws<IOException>(() => PartitionedRun.Execute(scenario.Scenario, options, hosts, out _, (crashing, "crash-1", PersistenceMode.Record)));
        Assert.That(store.ReadRun("crash-1")!.Status, Is.EqualTo(RunStatus.Running), "a run stopped part-way stays running");

        var resumed = PartitionedRun.Execute(scenario.Scenario, options, hosts, out _, (store, "crash-1", PersistenceMode.Resume));
        store.FinishRun("crash-1", RunStatus.Completed, resumed.ResultHash, DateTimeOffset.UtcNow);

        Assert.That(resumed.ResultHash, Is.EqualTo(Simulator.Execute(scenario.Scenario, options).ResultHash), "seed 9");
        var verified = Simulator.Verify(store, "crash-1");
        Assert.That(verified.Divergences, Is.Empty, $"seed 9, crash after {commitsBeforeTheCrash} commits: {string.Join("; ", verified.Divergences.Take(3).Select(d => d.Message))}");
        Assert.That(verified.RecomputedHash, Is.EqualTo(verified.StoredHash), "seed 9");
    }

    /// <summary>The real store, whose commits fail from the n-th on: a process that died there.</summary>
    private sealed class CrashingStore(IJournalStore inner, int commitsAllowed) : IJournalStore
    {
        private int commits;

        public string DisplayUri => inner.DisplayUri;

        public void WriteWindow(WindowWrite write)
        {
            if (++commits > commitsAllowed) throw new IOException($"the process died before commit {commits}");
            inner.WriteWindow(write);
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
}
