using System.Diagnostics;
using Migration.Cluster.Configuration;
using Migration.Cluster.Launch;
using Migration.Cluster.Status;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Tests;

/// <summary>
/// A cluster of real node processes (`migration node`) on loopback ports chosen when the test runs,
/// with a fresh secret, in a temporary directory; every process is killed and the directory removed
/// on dispose. Each wait is bounded and says what it waited for.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    /// <summary>How long a cluster may take to come up on a loaded 2-core machine.</summary>
    public static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(90);

    private readonly List<NodeProcess> processes = new();

    private TestCluster(string directory, string configPath, ClusterConfig config)
    {
        Directory = directory;
        ConfigPath = configPath;
        Config = config;
    }

    public string Directory { get; }
    public string ConfigPath { get; }
    public ClusterConfig Config { get; }

    public static (string FileName, IReadOnlyList<string> Prefix) Program { get; } =
        NodeProcess.Program(typeof(Migration.Cli.MigrationCli).Assembly.Location);

    /// <summary>Writes the config of an <paramref name="nodes"/>-node cluster (and its secret) without starting it.</summary>
    public static TestCluster Configure(int nodes, string extra = "")
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("migration-cluster-").FullName;
        var config = LocalCluster.Write(directory, nodes, extra);
        return new TestCluster(directory, config.ConfigPath, config);
    }

    /// <summary>Starts every node and waits until all are up.</summary>
    public static TestCluster Up(int nodes, string extra = "")
    {
        var cluster = Configure(nodes, extra);
        try
        {
            foreach (var node in cluster.Config.Nodes) cluster.Start(node.Name);
            cluster.WaitFor(reply => reply.Members.Count(m => m.Status == "up") == nodes, $"all {nodes} nodes up", UpTimeout);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public NodeProcess Start(string node, string? configPath = null)
    {
        var process = NodeProcess.Start(Program, configPath ?? ConfigPath, node);
        processes.Add(process);
        return process;
    }

    public NodeProcess Process(string node) => processes.Last(p => p.Name == node);

    /// <summary>The membership as the first answering node sees it, or null.</summary>
    public StatusReply? Status() => StatusQuery.AskAsync(Config, Config.StatusTimeout).GetAwaiter().GetResult().Reply;

    /// <summary>Polls the status until <paramref name="holds"/>; fails naming <paramref name="what"/> and the last answer.</summary>
    public StatusReply WaitFor(Func<StatusReply, bool> holds, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        StatusReply? last = null;
        while (clock.Elapsed < timeout)
        {
            last = Status();
            if (last is not null && holds(last)) return last;
            Thread.Sleep(250);   // a poll interval of a real cluster, not a wait for a result
        }
        Assert.Fail($"waited {timeout.TotalSeconds:0} s for {what}; the last status was: {last}\n{Logs()}");
        throw new InvalidOperationException("unreachable");
    }

    public string Logs() => string.Join("\n", processes.Select(p => $"--- {p.Name} ({(p.HasExited ? $"exited {p.ExitCode}" : "running")}):\n{string.Join("\n", p.Lines.TakeLast(40))}"));

    /// <summary>Free loopback ports: each bound once by the OS, then released for a node to take.</summary>
    public static int[] FreePorts(int count) => LocalCluster.FreePorts(count);

    public void Dispose()
    {
        foreach (var process in processes)
        {
            process.Resume();
            process.Dispose();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A node that has not let go of its files yet: the temporary directory is left behind.
        }
    }
}
