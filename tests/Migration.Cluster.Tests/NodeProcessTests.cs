using System.Diagnostics;
using System.Net.Sockets;
using Migration.Cli;

namespace Migration.Cluster.Tests;

/// <summary>
/// Three real node processes on loopback: membership as Akka.Cluster keeps it (a frozen node is
/// found unreachable, downed and removed; a node that leaves goes through leaving, exiting,
/// removed), and bad input that must not take a node down. The tests run in order on one cluster.
/// </summary>
[NonParallelizable]
public sealed class NodeProcessTests
{
    private TestCluster cluster = null!;

    [OneTimeSetUp]
    public void StartCluster() => cluster = TestCluster.Up(3);

    [OneTimeTearDown]
    public void StopCluster() => cluster.Dispose();

    [Test, Order(1)]
    public void Status_PrintsEveryMemberUp_AsTheCliShowsIt()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = MigrationCli.Run(["cluster", "status", "--config", cluster.ConfigPath], output, error);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error.ToString());
        foreach (var node in cluster.Config.Nodes)
            Assert.That(output.ToString(), Does.Match($@"(?m)^{node.Name}\s+akka\.ssl\.tcp://migration@127\.0\.0\.1:{node.Port}\s+up\s+yes\s+node"));
    }

    [Test, Order(2)]
    public void GarbageAndTruncatedFrames_AtANodesPort_LeaveItUp()
    {
        var port = cluster.Config.Nodes[1].Port;
        var random = new Random(7);
        foreach (var frame in new[] { Bytes(random, 4096), [0x16, 0x03, 0x01, 0x00, 0x40, 0x01], [0, 0, 0, 16, 65, 66], "GET / HTTP/1.1\r\n\r\n"u8.ToArray() })
        {
            using var client = new TcpClient("127.0.0.1", port);
            client.GetStream().Write(frame);
            client.Client.Shutdown(SocketShutdown.Send);
        }
        var status = cluster.WaitFor(s => s.Members.Count(m => m.Status == "up" && m.Reachable) == 3, "three reachable members after the garbage", TimeSpan.FromSeconds(20));
        Assert.That(cluster.Process("node-2").HasExited, Is.False, cluster.Logs());
        Assert.That(status.Members.Single(m => m.Node == "node-2").Status, Is.EqualTo("up"));
    }

    [Test, Order(3)]
    public void ANodeWithAnotherSecret_CannotJoin_AndTheNodeItTriedLogsTheRefusal()
    {
        var otherDirectory = Directory.CreateTempSubdirectory("migration-intruder-").FullName;
        try
        {
            Security.ClusterSecret.Create(Path.Combine(otherDirectory, "secret.pfx"), "");
            var intruderConfig = Path.Combine(otherDirectory, "cluster.conf");
            File.WriteAllText(intruderConfig, File.ReadAllText(cluster.ConfigPath)
                .Replace(" journal = \"sqlite:", " journal = \"sqlite:/dev/null/", StringComparison.Ordinal)
                .Replace(Path.Combine(cluster.Directory, "coordinator.db"), Path.Combine(otherDirectory, "coordinator.db"), StringComparison.Ordinal));
            // The intruder takes node-3's place in a copy of the config, on another free port.
            var port = TestCluster.FreePorts(1)[0];
            File.WriteAllText(intruderConfig, File.ReadAllText(intruderConfig)
                .Replace($"name = node-3, port = {cluster.Config.Nodes[2].Port}", $"name = node-3, port = {port}", StringComparison.Ordinal)
                .Replace($"127.0.0.1:{cluster.Config.Nodes[2].Port}\"", $"127.0.0.1:{port}\"", StringComparison.Ordinal));
            using var intruder = Launch.NodeProcess.Start(TestCluster.Program, intruderConfig, "node-3");
            // The intruder tries every seed; whichever it reached logs the refusal.
            var members = cluster.Config.Nodes.Select(n => cluster.Process(n.Name)).ToList();
            bool Refused() => members.Any(m => m.Lines.Any(l => l.Contains("refused a connection from", StringComparison.Ordinal) && l.Contains("does not hold this cluster's secret", StringComparison.Ordinal)));
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && !Refused())
                Thread.Sleep(100);   // polling a log line another process writes
            Assert.That(Refused(), Is.True, cluster.Logs() + "\n--- intruder:\n" + string.Join("\n", intruder.Lines.TakeLast(60)));
            var status = cluster.Status();
            Assert.That(status!.Members.Any(m => m.Address.EndsWith($":{port}", StringComparison.Ordinal)), Is.False, "the intruder is no member");
        }
        finally
        {
            Directory.Delete(otherDirectory, recursive: true);
        }
    }

    [Test, Order(4)]
    public void AFrozenNode_IsUnreachable_ThenDownedAndRemoved_WithinTheConfiguredTimes()
    {
        // Configured: heartbeats every 500 ms, 1 s of acceptable pause, stable-after 2 s.
        var frozen = cluster.Process("node-3");
        var stoppedAt = DateTimeOffset.UtcNow;
        frozen.Pause();
        var status = cluster.WaitFor(s => Seen(s, "node-3", "removed", stoppedAt), "node-3 removed", TimeSpan.FromSeconds(30));
        var unreachable = At(status, "node-3", "unreachable", stoppedAt);
        var downed = At(status, "node-3", "downed", stoppedAt);
        var removed = At(status, "node-3", "removed", stoppedAt);
        Assert.That(unreachable - stoppedAt, Is.LessThan(TimeSpan.FromSeconds(1 + 3)), "acceptable-heartbeat-pause, and a margin for a loaded machine");
        Assert.That(downed, Is.GreaterThanOrEqualTo(unreachable));
        Assert.That(removed - unreachable, Is.LessThan(TimeSpan.FromSeconds(2 + 4)), "stable-after, and a margin");
        frozen.Resume();
        Assert.That(frozen.WaitForExit(TimeSpan.FromSeconds(30)), Is.True, "a downed node stops itself once it runs again");
        Assert.That(frozen.ExitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(frozen.Lines, Has.Some.Contains("the cluster removed this node"));
    }

    [Test, Order(5)]
    public void ANodeThatLeaves_GoesThroughLeavingExitingAndRemoved()
    {
        var leaving = cluster.Process("node-2");
        var asked = DateTimeOffset.UtcNow;
        leaving.Stop();
        var status = cluster.WaitFor(s => Seen(s, "node-2", "removed", asked), "node-2 removed", TimeSpan.FromSeconds(30));
        var kinds = status.Events.Where(e => e.Node == "node-2" && DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs) >= asked.AddMilliseconds(-100)).Select(e => e.Kind).ToArray();
        Assert.That(kinds, Is.EqualTo(new[] { "left", "exited", "removed" }), "Akka's MemberLeft (leaving), MemberExited, MemberRemoved");
        Assert.That(leaving.WaitForExit(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(leaving.ExitCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(leaving.Lines, Has.Some.Contains("left the cluster and stopped"));
    }

    private static bool Seen(Wire.StatusReply status, string node, string kind, DateTimeOffset since) =>
        status.Events.Any(e => e.Node == node && e.Kind == kind && DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs) >= since.AddMilliseconds(-100));

    private static DateTimeOffset At(Wire.StatusReply status, string node, string kind, DateTimeOffset since) =>
        DateTimeOffset.FromUnixTimeMilliseconds(status.Events.First(e => e.Node == node && e.Kind == kind && DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs) >= since.AddMilliseconds(-100)).UnixMs);

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
