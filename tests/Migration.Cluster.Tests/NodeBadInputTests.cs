using System.Net;
using System.Net.Sockets;
using Migration.Cli;

namespace Migration.Cluster.Tests;

/// <summary>`migration node` with bad input: a message naming the node or file (and line), exit 2, nothing started.</summary>
public sealed class NodeBadInputTests
{
    private static (int ExitCode, string Error) Node(string config, string node)
    {
        var error = new StringWriter();
        var exitCode = MigrationCli.Run(["node", "--config", config, "--node", node], TextWriter.Null, error);
        return (exitCode, error.ToString());
    }

    [Test]
    public void AnUnknownNodeName_IsBadInput_ListingTheNodes()
    {
        using var cluster = TestCluster.Configure(2);
        var (exitCode, error) = Node(cluster.ConfigPath, "node-7");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain($"{cluster.ConfigPath}: no node 'node-7' in migration.cluster.nodes (nodes: node-1, node-2)"));
    }

    [Test]
    public void AConfigWithoutSeedNodes_IsBadInput_NamingTheFile()
    {
        using var cluster = TestCluster.Configure(1);
        File.WriteAllText(cluster.ConfigPath, File.ReadAllText(cluster.ConfigPath).Replace("seed-nodes = [", "seed-nodes-were = [", StringComparison.Ordinal));
        var (exitCode, error) = Node(cluster.ConfigPath, "node-1");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain($"{cluster.ConfigPath}: akka.cluster.seed-nodes is not set"));
    }

    [Test]
    public void AMalformedConfig_IsBadInput_NamingFileAndLine()
    {
        using var cluster = TestCluster.Configure(1);
        File.WriteAllText(cluster.ConfigPath, "akka {\n  cluster.seed-nodes = [\"x\"\n}\n");
        var (exitCode, error) = Node(cluster.ConfigPath, "node-1");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain($"{cluster.ConfigPath}:3: '}}' closes the '[' opened at line 2"));
    }

    [Test]
    public void APortInUse_IsBadInput_NamingTheNodeAndPort()
    {
        using var cluster = TestCluster.Configure(1);
        var port = cluster.Config.Nodes[0].Port;
        var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();
        try
        {
            var (exitCode, error) = Node(cluster.ConfigPath, "node-1");
            Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput), error);
            Assert.That(error, Does.Contain($"node node-1: port {port} on 127.0.0.1 is in use"));
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Test]
    public void AMissingSecret_IsBadInput_SayingHowToMakeOne()
    {
        using var cluster = TestCluster.Configure(1);
        File.Delete(Path.Combine(cluster.Directory, "secret.pfx"));
        var (exitCode, error) = Node(cluster.ConfigPath, "node-1");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("does not exist; make one with `migration cluster secret --out"));
    }
}
