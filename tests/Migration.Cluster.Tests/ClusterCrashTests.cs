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

    /// <summary>
    /// Five moments: the stage and whose node are given (every stage, the coordinator's node twice);
    /// how many of the stage's progress reports pass first, and which node of the kind, are drawn
    /// from the moment's seed.
    /// </summary>
    [TestCase(0, 1, "coordinator")]
    [TestCase(1, 3, "other")]
    [TestCase(2, 2, "any")]
    [TestCase(3, 3, "coordinator")]
    [TestCase(4, 2, "other")]
    public void ANodeKilledPartWay_TheRunEndsWithTheUninterruptedHash_AndItsJournalVerifies(int moment, int stage, string whose)
    {
        var random = new Random(1_000 + moment);
        // The coordinator reports each stage as it starts; the kill comes a seeded delay after that
        // (shorter for the last stage, so that it still runs then).
        var delay = TimeSpan.FromMilliseconds(random.Next(stage == 3 ? 300 : 600));
        var pick = random.Next(cluster.Config.Nodes.Count);
        var what = $"moment {moment}: stage {stage}, {delay.TotalMilliseconds:0} ms after its start, {whose} node, seed {Seed}, {Policy}";

        // The previous moment's killed node may still be rejoining.
        cluster.WaitFor(s => s.Members.Count(m => m.Status == "up" && m.Reachable) == cluster.Config.Nodes.Count, "every node up before the run", TestCluster.UpTimeout);
        var restartsBefore = launcher.Restarts;
        var gate = new object();
        var running = true;
        string? victim = null;
        RunProgress? latest = null;
        Task? killer = null;
        void KillAtTheMoment(RunProgress progress)
        {
            if (progress.Message.Length == 0) latest = progress;
            if (killer is not null || progress.Message.Length > 0 || progress.Stage != stage) return;
            var others = cluster.Config.Nodes.Select(n => n.Name).Where(n => n != progress.Coordinator).ToList();
            var chosen = whose switch
            {
                "coordinator" => progress.Coordinator,
                "other" => others[pick % others.Count],
                _ => cluster.Config.Nodes[pick].Name,
            };
            killer = Task.Delay(delay).ContinueWith(_ =>
            {
                lock (gate)
                {
                    if (!running) return;   // the run ended first: no moment (asserted below)
                    victim = chosen;
                    launcher.ProcessOf(chosen).Kill();
                }
                log.WriteLine($"test: killed {chosen} {delay.TotalMilliseconds:0} ms after stage {stage} began; last report: stage {latest?.Stage}, " +
                              $"{latest?.Windows} windows (the coordinator was on {progress.Coordinator})");
            }, TaskScheduler.Default);
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
            lock (gate) running = false;
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
