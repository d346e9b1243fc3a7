using System.Net;
using System.Net.Sockets;
using Migration.Cluster.Configuration;
using Migration.Cluster.Security;

namespace Migration.Cluster.Launch;

/// <summary>
/// A throwaway cluster config for this machine (what `bench cluster` and the tests start): N nodes
/// on loopback ports free now, every node a seed, the shipped configs' laptop timings, a fresh
/// secret and both journals, all in one directory.
/// </summary>
public static class LocalCluster
{
    /// <param name="extra">More keys under <c>migration.cluster</c> (a placement, say).</param>
    public static ClusterConfig Write(string directory, int nodes, string extra = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        Directory.CreateDirectory(directory);
        var ports = FreePorts(nodes);
        var entries = string.Join("\n", ports.Select((port, i) => $"    {{ name = node-{i + 1}, port = {port} }}"));
        var seeds = string.Join(", ", ports.Select(p => $"\"akka.ssl.tcp://migration@127.0.0.1:{p}\""));
        var text = $$"""
            # Written by migration for a cluster of {{nodes}} nodes on this machine; see cluster-config/local-3.conf for every key.
            akka {
              loglevel = WARNING
              cluster {
                seed-nodes = [{{seeds}}]
                failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 1s }
                leader-actions-interval = 250ms
                gossip-interval = 250ms
                unreachable-nodes-reaper-interval = 250ms
                split-brain-resolver { active-strategy = keep-majority, stable-after = 2s, keep-majority.role = "node" }
              }
            }
            migration.cluster {
              nodes = [
            {{entries}}
              ]
              secret-file = "secret.pfx"
              journal = "sqlite:{{Path.Combine(directory, "journal.db")}}"
              coordinator-journal = "sqlite:{{Path.Combine(directory, "coordinator.db")}}"
              status-timeout = 2s
            {{extra}}
            }
            """;
        var path = Path.Combine(directory, "cluster.conf");
        File.WriteAllText(path, text);
        ClusterSecret.Create(Path.Combine(directory, "secret.pfx"), "");
        return ClusterConfig.Load(path);
    }

    /// <summary>Loopback ports free at this moment.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners) listener.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners) listener.Stop();
        return ports;
    }
}
