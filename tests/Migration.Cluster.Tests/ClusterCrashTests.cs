using Migration.Cluster.Launch;
using Migration.Cluster.Runs;
using Migration.Cluster.Wire;
using Migration.Persistence;
using Migration.Scenarios;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Cluster.Tests;

/// <summary>
/// A node killed with SIGKILL in the middle of a journaled datacenter run (the coordinator's node
/// among them): Akka's failure detector notices, the split-brain resolver downs it, the launcher
/// starts it again, it rejoins, the coordinator (recovered from its journal where its node was the
/// one killed) executes the interrupted stage again, the nodes resume their journal, and the run ends
/// with the uninterrupted run's hash; its journal verifies.
/// </summary>
[NonParallelizable]
public sealed class ClusterCrashTests
{
    private const int Seed = 3;
    private const VetoPolicy Policy = VetoPolicy.HasDevices;   // counterfactual runs: all three stages happen

    private TestCluster cluster = null!;
    private ClusterLauncher launcher = null!;
    private readonly StringWriter written = new();
    private TextWriter log = null!;
    private ScenarioText source = null!;
    private string expectedHash = "";

    [OneTimeSetUp]
    public void StartCluster()
    {
        source = new ScenarioText(ScenarioCatalog.LoadBuiltIn("datacenter"), ScenarioCatalog.BuiltInText("datacenter"));
        expectedHash = Simulator.Run(source, new RunOptions { Policy = Policy, Seed = Seed }).ResultHash;
        cluster = TestCluster.Configure(3);
        log = TextWriter.Synchronized(written);
        launcher = new ClusterLauncher(cluster.Config, TestCluster.Program, log);
        launcher.StartNodes();
    }

    [OneTimeTearDown]
    public void StopCluster()
    {
        launcher?.StopNodes(TimeSpan.FromSeconds(20));
        launcher?.Dispose();
        cluster?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Five moments, each drawn from its seed: the stage, how many of its progress reports pass first, and the node.</summary>
    [TestCase(0, Description = "the coordinator's node")]
    [TestCase(1, Description = "a node the coordinator is not on")]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void ANodeKilledPartWay_TheRunEndsWithTheUninterruptedHash_AndItsJournalVerifies(int moment)
    {
        var random = new Random(1_000 + moment);
        var stage = 1 + random.Next(3);
        var reportsFirst = random.Next(3);
        var pick = random.Next(cluster.Config.Nodes.Count);
        var what = $"moment {moment}: stage {stage}, after {reportsFirst} of its progress reports, seed {Seed}, {Policy}";

        // The previous moment's killed node may still be rejoining.
        cluster.WaitFor(s => s.Members.Count(m => m.Status == "up" && m.Reachable) == cluster.Config.Nodes.Count, "every node up before the run", TestCluster.UpTimeout);
        var restartsBefore = launcher.Restarts;
        string? victim = null;
        var seen = 0;
        void KillAtTheMoment(RunProgress progress)
        {
            if (victim is not null || progress.Message.Length > 0 || progress.Stage < stage) return;
            if (progress.Stage == stage && seen++ < reportsFirst) return;   // a later stage's first report if this one ended first
            var others = cluster.Config.Nodes.Select(n => n.Name).Where(n => n != progress.Coordinator).ToList();
            victim = moment switch
            {
                0 => progress.Coordinator,
                1 => others[pick % others.Count],
                _ => cluster.Config.Nodes[pick].Name,
            };
            launcher.ProcessOf(victim).Kill();
            log.WriteLine($"test: killed {victim} at stage {progress.Stage}, {progress.Windows} windows (the coordinator is on {progress.Coordinator})");
        }

        var journal = Path.Combine(cluster.Directory, $"crash-{moment}.db");
        var runId = $"crash-{moment}";
        var start = RunWire.Start(source, "datacenter", builtIn: true, new RunOptions { Policy = Policy, Seed = Seed });
        start.JournalUri = "sqlite:" + journal;
        start.RunId = runId;
        launcher.Progressed += KillAtTheMoment;
        RunDone done;
        try
        {
            done = launcher.Run(start, TimeSpan.FromMinutes(8));
        }
        finally
        {
            launcher.Progressed -= KillAtTheMoment;
        }

        Assert.That(victim, Is.Not.Null, $"{what}: the moment came\n{written}");
        Assert.That(launcher.Restarts, Is.GreaterThan(restartsBefore), $"{what}: the killed node {victim} was started again\n{written}");
        var report = ReportWire.FromMessage(done.Report);
        Assert.That(report.ResultHash, Is.EqualTo(expectedHash), $"{what}, {victim} killed: the uninterrupted run's hash\n{written}\n{cluster.Logs()}");

        using var store = JournalUri.Open("sqlite:" + journal);
        Assert.That(store.ReadRun(runId)!.ResultHash, Is.EqualTo(expectedHash), what);
        var verified = Simulator.Verify(store, runId);
        Assert.That(verified.Divergences, Is.Empty, $"{what}: {string.Join("; ", verified.Divergences.Take(3).Select(d => d.Message))}");
        Assert.That(verified.RecomputedHash, Is.EqualTo(expectedHash), what);
        TestContext.Out.WriteLine($"{what}: the hash and the journal held\n{written}");
    }
}
