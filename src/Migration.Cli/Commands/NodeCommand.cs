using System.CommandLine;
using Migration.Cluster.Configuration;
using Migration.Cluster.Nodes;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration node --config FILE --node NAME`: one node of a cluster, in the foreground until it is
/// stopped (SIGTERM or Ctrl+C: it leaves the cluster gracefully first) or the cluster removes it.
/// </summary>
internal static class NodeCommand
{
    public static Command Create(TextWriter error)
    {
        var config = new Option<string>("--config") { Description = "The cluster config file (HOCON), e.g. cluster-config/local-3.conf.", HelpName = "FILE", Required = true };
        var node = new Option<string>("--node") { Description = "Which of the config's nodes this process is.", HelpName = "NAME", Required = true };
        var command = new Command("node", "Run one node of a cluster: it joins the config's seed nodes and hosts its share of the simulated hosts.")
        {
            config, node,
        };
        command.SetAction(parse =>
        {
            var settings = ClusterConfig.Load(parse.GetValue(config)!);
            using var host = NodeHost.Start(settings, parse.GetValue(node)!, error);
            error.WriteLine($"node {host.Node.Name}: listening at {settings.AddressOf(host.Node)}; joining {string.Join(", ", settings.SeedNodes.Select(n => n.Name))}");
            // Ends when the node leaves (stopped, or removed by the cluster): Akka's coordinated
            // shutdown runs on SIGTERM and Ctrl+C and makes it leave gracefully first.
            host.System.WhenTerminated.Wait();
            if (host.WasDowned)
            {
                error.WriteLine($"node {host.Node.Name}: the cluster removed this node (it was unreachable, or on the losing side of a partition); stopped");
                return ExitCodes.Failed;
            }
            error.WriteLine($"node {host.Node.Name}: left the cluster and stopped");
            return ExitCodes.Ok;
        });
        return command;
    }
}
