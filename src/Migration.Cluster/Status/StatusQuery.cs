using Akka.Actor;
using Migration.Cluster.Configuration;
using Migration.Cluster.Nodes;
using Migration.Cluster.Security;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Status;

/// <summary>
/// Asks the nodes of a cluster (seed nodes first) for their view of the membership, from outside the
/// cluster: a short-lived ActorSystem with <c>provider = remote</c> (it joins nothing, so asking
/// changes no membership) and the cluster secret's TLS.
/// </summary>
public static class StatusQuery
{
    /// <summary>The first answer, with the nodes asked before it that did not answer; null when none answered.</summary>
    public static async Task<(StatusReply? Reply, IReadOnlyList<string> Silent)> AskAsync(ClusterConfig config, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var secret = ClusterSecret.Load(config);
        using var system = NodeHost.CreateSystem(config, node: null, secret, provider: "remote", roles: []);
        var silent = new List<string>();
        try
        {
            foreach (var node in config.SeedNodes.Concat(config.Nodes).Distinct())
            {
                var monitor = system.ActorSelection($"{config.AddressOf(node)}/user/{MembershipMonitor.Name}");
                try
                {
                    return (await monitor.Ask<StatusReply>(new StatusRequest(), timeout).ConfigureAwait(false), silent);
                }
                catch (AskTimeoutException)
                {
                    silent.Add(node.Name);
                }
            }
            return (null, silent);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
