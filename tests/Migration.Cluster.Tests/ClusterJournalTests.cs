using Migration.Cluster.Launch;
using Migration.Cluster.Runs;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Scenarios;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Cluster.Tests;

/// <summary>
/// A journaled run across node processes: every node writes its hosts' events into one run of the
/// shared journal; the coordinator creates the run's row and closes it with the result hash; the
/// run is then verified in one process (what `replay --verify` does) and its report is the report
/// of the journaled run in one process.
/// </summary>
[NonParallelizable]
public sealed class ClusterJournalTests
{
    private TestCluster cluster = null!;
    private RunSession session = null!;

    [OneTimeSetUp]
    public void StartCluster()
    {
        cluster = TestCluster.Up(3);
        session = new RunSession(cluster.Config);
    }

    [OneTimeTearDown]
    public void StopCluster()
    {
        session?.Dispose();
        cluster?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [TestCase("thread-arguments", VetoPolicy.HasDevices)]
    [TestCase("assign-during-log-dirty", VetoPolicy.IommuEnabled)]
    [TestCase("datacenter", VetoPolicy.BusMaster)]
    public void AJournaledClusterRun_IsTheJournaledRunOfOneProcess_AndVerifies(string name, VetoPolicy policy)
    {
        var source = new ScenarioText(ScenarioCatalog.LoadBuiltIn(name), ScenarioCatalog.BuiltInText(name));
        var options = new RunOptions { Policy = policy, Seed = 4 };
        var journal = Path.Combine(cluster.Directory, $"{name}.db");
        var runId = $"cluster-{name}";
        var start = RunWire.Start(source, name, builtIn: true, options);
        start.JournalUri = "sqlite:" + journal;
        start.RunId = runId;
        var clustered = ReportWire.FromMessage(session.Run(start, TimeSpan.FromMinutes(10)).Report);

        using var single = JournalUri.Open("sqlite:" + Path.Combine(cluster.Directory, $"{name}-single.db"));
        var alone = Simulator.Run(source, options, single, runId);
        Assert.That(ReportJson.Write(clustered), Is.EqualTo(ReportJson.Write(alone)), $"seed 4, {name}, {policy}\n{cluster.Logs()}");

        using var store = JournalUri.Open("sqlite:" + journal);
        var row = store.ReadRun(runId)!;
        Assert.That(row.Status, Is.EqualTo(RunStatus.Completed), $"seed 4, {name}");
        Assert.That(row.ResultHash, Is.EqualTo(alone.ResultHash), $"seed 4, {name}");
        Assert.That(row.SettingsJson, Is.EqualTo(single.ReadRun(runId)!.SettingsJson), "the same settings: replay executes the same run");
        var verified = Simulator.Verify(store, runId);
        Assert.That(verified.Divergences, Is.Empty, $"seed 4, {name}: {string.Join("; ", verified.Divergences.Take(3).Select(d => d.Message))}");
        Assert.That(verified.EventsVerified, Is.GreaterThan(0), $"seed 4, {name}");
        Assert.That(verified.RecomputedHash, Is.EqualTo(verified.StoredHash), $"seed 4, {name}");

        // Akka.Persistence.Sql's own read journal reads what the nodes wrote: a domain's timeline by its tag.
        var domain = source.Scenario.Domains[0].Name;
        var expected = SqlReadJournalTests.Stored(store.ReadTagged("dom-" + domain, 0, 1_000));
        Assert.That(expected, Is.Not.Empty, $"{name}: dom-{domain} has events");
        using var reader = SqlReadJournalTests.AkkaReader("SQLite.MS", $"Data Source={journal}");
        var reads = Akka.Persistence.Query.PersistenceQuery.Get(reader).ReadJournalFor<Akka.Persistence.Sql.Query.SqlReadJournal>(Akka.Persistence.Sql.Query.SqlReadJournal.Identifier);
        var read = SqlReadJournalTests.ReadAll(reads.CurrentEventsByTag("dom-" + domain, Akka.Persistence.Query.Offset.NoOffset()), Akka.Streams.ActorMaterializer.Create(reader));
        Assert.That(read.Select(e => (e.PersistenceId, e.SequenceNr, e.Event)), Is.EqualTo(expected), $"seed 4, {name}, dom-{domain} through SqlReadJournal");
    }

    [Test]
    public void AJournalANodeCannotOpen_FailsTheRun_NamingIt_AndTheNodesCarryOn()
    {
        var source = new ScenarioText(ScenarioCatalog.LoadBuiltIn("thread-arguments"), ScenarioCatalog.BuiltInText("thread-arguments"));
        var start = RunWire.Start(source, "thread-arguments", builtIn: true, new RunOptions { Seed = 1 });
        start.JournalUri = "sqlite:" + Path.Combine(cluster.Directory, "no-such-directory", "journal.db");
        start.RunId = "unopenable";
        var failure = Assert.Throws<InvalidOperationException>(() => session.Run(start, TimeSpan.FromMinutes(5)));
        Assert.That(failure!.Message, Does.Contain("no-such-directory"));
        // The cluster is still there: the next run works.
        var next = RunWire.Start(source, "thread-arguments", builtIn: true, new RunOptions { Seed = 1 });
        Assert.That(ReportWire.FromMessage(session.Run(next, TimeSpan.FromMinutes(5)).Report).ResultHash,
            Is.EqualTo(Simulator.Run(source, new RunOptions { Seed = 1 }).ResultHash));
    }
}
