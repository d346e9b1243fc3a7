using Migration.Cli;

namespace Migration.Cluster.Tests;

/// <summary>`migration cluster up` end to end: it starts the nodes, runs the scenario across them, prints what `run` prints, and the nodes leave.</summary>
[NonParallelizable]
public sealed class ClusterUpCommandTests
{
    [Test]
    public void ClusterUp_PrintsExactlyTheReportRunPrints_AndEveryNodeLeaves()
    {
        using var cluster = TestCluster.Configure(3);
        var up = new StringWriter();
        var upError = new StringWriter();
        var exitCode = MigrationCli.Run(["cluster", "up", "--config", cluster.ConfigPath, "--scenario", "xl-vs-xapi", "--policy", "toolstack-decides", "--no-journal"], up, upError);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), upError.ToString());
        var run = new StringWriter();
        Assert.That(MigrationCli.Run(["run", "--scenario", "xl-vs-xapi", "--policy", "toolstack-decides", "--no-journal"], run, TextWriter.Null), Is.EqualTo(ExitCodes.Ok));
        Assert.That(up.ToString(), Is.EqualTo(run.ToString()), "the same table, refusals, totals, hash and run id line");
        var log = upError.ToString();
        foreach (var node in cluster.Config.Nodes)
        {
            Assert.That(log, Does.Contain($"cluster up: node {node.Name} is up"));
            Assert.That(log, Does.Contain($"cluster up: node {node.Name} left (exit code 0)"));
        }
        Assert.That(log, Does.Match(@"cluster up: done in [\d,]+ windows, [\d,]+ messages between nodes"));
    }

    [Test]
    public void ClusterUp_OnAClusterAlreadyRunning_UsesItsNodes_AndLeavesThemUp()
    {
        using var cluster = TestCluster.Up(2);
        var up = new StringWriter();
        var upError = new StringWriter();
        var exitCode = MigrationCli.Run(["cluster", "up", "--config", cluster.ConfigPath, "--scenario", "xl-vs-xapi", "--policy", "bus-master", "--no-journal"], up, upError);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), upError.ToString());
        Assert.That(upError.ToString(), Does.Contain($"cluster up: the cluster of {cluster.ConfigPath} is running: using its nodes"));
        Assert.That(upError.ToString(), Does.Not.Contain("cluster up: started node"));
        var run = new StringWriter();
        Assert.That(MigrationCli.Run(["run", "--scenario", "xl-vs-xapi", "--policy", "bus-master", "--no-journal"], run, TextWriter.Null), Is.EqualTo(ExitCodes.Ok));
        Assert.That(up.ToString(), Is.EqualTo(run.ToString()));
        foreach (var node in cluster.Config.Nodes) Assert.That(cluster.Process(node.Name).HasExited, Is.False, $"{node.Name} stays up\n{cluster.Logs()}");
        Assert.That(cluster.Status()!.Members.Count(m => m.Status == "up"), Is.EqualTo(2));
    }

    [Test]
    public void ClusterUp_JournalsTheRunInTheConfigsJournal_AndReplayVerifiesIt()
    {
        using var cluster = TestCluster.Configure(3);
        var up = new StringWriter();
        var upError = new StringWriter();
        var exitCode = MigrationCli.Run(["cluster", "up", "--config", cluster.ConfigPath, "--scenario", "thread-arguments", "--policy", "has-devices"], up, upError);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), upError.ToString());
        var runId = System.Text.RegularExpressions.Regex.Match(up.ToString(), @"run id: (\S+)").Groups[1].Value;
        Assert.That(runId, Does.Contain("thread-arguments-has-devices-s1"), up.ToString());
        var journal = cluster.Config.Journal;
        Assert.That(upError.ToString(), Does.Contain($"cluster up: journaled as {runId} in {journal}"));

        var replay = new StringWriter();
        var replayError = new StringWriter();
        Assert.That(MigrationCli.Run(["replay", "--journal", journal, "--run", runId, "--verify"], replay, replayError), Is.EqualTo(ExitCodes.Ok),
            replay + replayError.ToString());
        var run = new StringWriter();
        Assert.That(MigrationCli.Run(["run", "--scenario", "thread-arguments", "--policy", "has-devices", "--no-journal"], run, TextWriter.Null), Is.EqualTo(ExitCodes.Ok));
        Assert.That(up.ToString().Replace($"run id: {runId}", "run id: none (not journaled)"), Is.EqualTo(run.ToString()), "the report of `run`, with its run id");
    }

    [Test]
    public void ClusterUp_WithAScenarioTheConfigCannotPlace_IsBadInput_BeforeAnyNodeStarts()
    {
        using var cluster = TestCluster.Configure(2, "placement = separate-migrations");
        var error = new StringWriter();
        // Three hosts that all migrate with one another cannot be split over two nodes.
        var scenario = Path.Combine(cluster.Directory, "triangle.yaml");
        File.WriteAllText(scenario, """
            hosts:
              - { name: a, memory: 8GiB }
              - { name: b, memory: 8GiB }
              - { name: c, memory: 8GiB }
            domains:
              - { name: d1, host: a, memory: 1GiB }
              - { name: d2, host: b, memory: 1GiB }
              - { name: d3, host: c, memory: 1GiB }
            migrations:
              - { domain: d1, to: b, at: 1s }
              - { domain: d2, to: c, at: 1s }
              - { domain: d3, to: a, at: 1s }
            """);
        var exitCode = MigrationCli.Run(["cluster", "up", "--config", cluster.ConfigPath, "--scenario", scenario], TextWriter.Null, error);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error.ToString(), Does.Contain("placement = separate-migrations cannot put every migration's source and destination on different nodes with 2 nodes"));
        Assert.That(error.ToString(), Does.Not.Contain("started node"));
    }
}
