using System.Text.Json;
using Migration.Cli;
using Migration.Persistence;
using Migration.Simulation.Running;

namespace Migration.Cluster.Tests;

/// <summary>
/// `migration experiment --cluster FILE`: the runs spread over the cluster's node processes, each
/// whole on one node; the output files are byte for byte those of one core, and journaled runs
/// verify. `migration bench cluster` measures, and says what it measured.
/// </summary>
[NonParallelizable]
public sealed class ExperimentClusterTests
{
    private static (int ExitCode, string Output, string Error) Cli(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = MigrationCli.Run(arguments, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Test]
    public void AnExperimentOnTheCluster_WritesTheFilesOfOneCore()
    {
        using var cluster = TestCluster.Configure(2);
        var onCluster = Path.Combine(cluster.Directory, "cluster-out");
        var oneCore = Path.Combine(cluster.Directory, "one-core-out");
        string[] plan = ["experiment", "--scenario", "xl-vs-xapi", "--policies", "toolstack-decides,has-devices,bus-master", "--seeds", "1,2,3", "--no-journal"];

        var clustered = Cli([.. plan, "--cluster", cluster.ConfigPath, "--out", onCluster]);
        Assert.That(clustered.ExitCode, Is.EqualTo(ExitCodes.Ok), clustered.Error);
        Assert.That(clustered.Error, Does.Contain($"9 runs on the 2 nodes of {cluster.ConfigPath}"));
        var single = Cli([.. plan, "--parallel", "1", "--out", oneCore]);
        Assert.That(single.ExitCode, Is.EqualTo(ExitCodes.Ok), single.Error);

        Assert.That(clustered.Output, Is.EqualTo(single.Output), "the same totals table");
        foreach (var file in new[] { "experiment.csv", "experiment.json" })
            Assert.That(File.ReadAllBytes(Path.Combine(onCluster, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(oneCore, file))), file);
        foreach (var node in cluster.Config.Nodes) Assert.That(clustered.Error, Does.Contain($"cluster up: node {node.Name} left (exit code 0)"));
    }

    [Test]
    public void AJournaledExperimentOnTheCluster_JournalsEveryRun_EachVerifies()
    {
        using var cluster = TestCluster.Configure(2);
        var journal = "sqlite:" + Path.Combine(cluster.Directory, "experiment.db");
        var result = Cli("experiment", "--scenario", "thread-arguments", "--policies", "has-devices,toolstack-decides", "--seeds", "4",
            "--cluster", cluster.ConfigPath, "--out", Path.Combine(cluster.Directory, "out"), "--journal", journal);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.Error);
        using var store = JournalUri.Open(journal);
        var runs = store.ReadRuns();
        Assert.That(runs, Has.Count.EqualTo(2), "one run row per run, written by the nodes");
        foreach (var run in runs)
        {
            var verified = Simulator.Verify(store, run.RunId);
            Assert.That(verified.Divergences, Is.Empty, run.RunId);
            Assert.That(verified.EventsVerified, Is.GreaterThan(0), run.RunId);
            Assert.That(verified.RecomputedHash, Is.EqualTo(run.ResultHash), run.RunId);
        }
    }

    [Test]
    public void ARunOnANodeThatStopsAnswering_FailsNamingIt_WithinTheFailureDetectorsTime()
    {
        using var cluster = TestCluster.Up(1);
        using var session = new Launch.RunSession(cluster.Config);
        var source = new ScenarioText(Scenarios.ScenarioCatalog.LoadBuiltIn("xl-vs-xapi"), Scenarios.ScenarioCatalog.BuiltInText("xl-vs-xapi"));
        var start = Runs.RunWire.Start(source, "xl-vs-xapi", builtIn: true, new RunOptions { Seed = 1 });
        Assert.That(session.RunAlone(0, start, TimeSpan.FromMinutes(2)).Report, Is.Not.Null, "the node answers while it runs");
        var node = cluster.Process("node-1");
        node.Pause();   // SIGSTOP: the process is there, but answers nothing, heartbeats included
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var failure = Assert.Throws<InvalidOperationException>(() => session.RunAlone(0, start, TimeSpan.FromMinutes(2)));
            Assert.That(failure!.Message, Does.Contain("node node-1 died or stopped answering"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(1)), "noticed by the failure detector, not by the 2 min timeout");
        }
        finally
        {
            node.Resume();
        }
    }

    [Test]
    public void AClusterConfigThatDoesNotExist_IsBadInput()
    {
        var result = Cli("experiment", "--scenario", "xl-vs-xapi", "--cluster", "/nonexistent/cluster.conf", "--no-journal");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.Error);
        Assert.That(result.Error, Does.Contain("/nonexistent/cluster.conf"));
    }

    [Test]
    public void BenchClusterQuick_PrintsEveryFigure_AsJsonLines()
    {
        var result = Cli("bench", "cluster", "--quick", "--json");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var names = lines.Select(l => l.GetProperty("name").GetString()).ToList();
        Assert.That(names, Is.EqualTo(new[]
        {
            "datacenter-one-process", "round-trips", "datacenter-2-nodes",
            "experiment-7-policies-2-seeds-one-core", "experiment-7-policies-2-seeds-all-cores", "experiment-7-policies-2-seeds-all-cores-cold",
            "experiment-7-policies-2-seeds-2-nodes",
        }));
        foreach (var line in lines)
        {
            foreach (var field in new[] { "nodes", "wallSeconds", "windows", "crossNodeMessages", "ratio" })
                Assert.That(line.TryGetProperty(field, out _), Is.True, $"{line}: {field}");
            Assert.That(line.GetProperty("wallSeconds").GetDouble(), Is.GreaterThan(0), line.ToString());
        }
        var twoNodes = lines.Single(l => l.GetProperty("name").GetString() == "datacenter-2-nodes");
        Assert.That(twoNodes.GetProperty("windows").GetInt64(), Is.GreaterThan(0));
        Assert.That(twoNodes.GetProperty("crossNodeMessages").GetInt64(), Is.GreaterThan(0));
        Assert.That(twoNodes.GetProperty("ratio").GetDouble(), Is.GreaterThan(0));
    }
}
