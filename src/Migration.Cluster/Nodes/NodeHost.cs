using System.Net.Sockets;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Migration.Cluster.Configuration;
using Migration.Cluster.Security;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Nodes;

/// <summary>
/// One node of a cluster: an Akka.NET ActorSystem with <c>provider = cluster</c>, Akka.Remote on the
/// node's address over TLS with the cluster secret, joining the seed nodes of the config, with its
/// membership monitor. It leaves the cluster gracefully when the process is asked to stop.
/// </summary>
public sealed class NodeHost : IDisposable
{
    /// <summary>The role every simulation node has (a launcher or a status query joins none).</summary>
    public const string Role = "node";

    private NodeHost(ClusterConfig settings, NodeEntry node, ActorSystem system)
    {
        Settings = settings;
        Node = node;
        System = system;
    }

    public ClusterConfig Settings { get; }
    public NodeEntry Node { get; }
    public ActorSystem System { get; }

    /// <summary>Starts node <paramref name="name"/> of <paramref name="settings"/>; it joins the cluster in the background.</summary>
    public static NodeHost Start(ClusterConfig settings, string name, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var node = settings.Node(name);
        var secret = ClusterSecret.Load(settings);
        var system = CreateSystem(settings, node, secret, provider: "cluster", roles: [Role]);
        system.ActorOf(MembershipMonitor.Props(settings, node.Name, log), MembershipMonitor.Name);
        var index = settings.Nodes.ToList().IndexOf(node);
        system.ActorOf(Runs.PartitionActor.Props(index), Runs.PartitionActor.Name);
        system.ActorOf(Akka.Cluster.Tools.Singleton.ClusterSingletonManager.Props(Runs.RunCoordinator.Props(settings), PoisonPill.Instance,
            Akka.Cluster.Tools.Singleton.ClusterSingletonManagerSettings.Create(system).WithRole(Role)), Runs.RunCoordinator.Name);
        system.ActorOf(Akka.Cluster.Tools.Singleton.ClusterSingletonProxy.Props($"/user/{Runs.RunCoordinator.Name}",
            Akka.Cluster.Tools.Singleton.ClusterSingletonProxySettings.Create(system).WithRole(Role)), Runs.RunCoordinator.ProxyName);
        return new NodeHost(settings, node, system);
    }

    /// <summary>
    /// An ActorSystem on <paramref name="node"/>'s address (or, without one, on a free port of the
    /// cluster's hostname, logging errors only: a launcher or a status query) with the cluster
    /// secret's TLS, the project's wire serializer, and Akka's log on stderr.
    /// </summary>
    internal static ActorSystem CreateSystem(ClusterConfig settings, NodeEntry? node, System.Security.Cryptography.X509Certificates.X509Certificate2 secret,
        string provider, IReadOnlyList<string> roles)
    {
        var overrides = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = {{provider}}
            akka.remote.dot-netty.tcp {
              hostname = "{{node?.Hostname ?? settings.Hostname}}"
              port = {{node?.Port ?? 0}}
              enable-ssl = true
            }
            akka.cluster.roles = [{{string.Join(", ", roles.Select(r => $"\"{r}\""))}}]
            # A window's envelopes (a domain's memory image among them) and a run's results are
            # larger than Akka.Remote's 128 kB default frame.
            akka.remote.dot-netty.tcp.maximum-frame-size = 16MiB
            akka.remote.dot-netty.tcp.send-buffer-size = 16MiB
            akka.remote.dot-netty.tcp.receive-buffer-size = 16MiB
            # A run's windows go in lockstep (a request, then the answers): DotNetty's write batching
            # would hold each small message back, waiting for company that never comes.
            akka.remote.dot-netty.tcp.batching.enabled = false
            migration.partition-dispatcher { type = PinnedDispatcher }
            {{StderrLogger.Setting}}
            # Connections that come and go (a status query, a launcher) are no news: membership
            # changes are logged by the membership monitor, refused connections by the secret's check.
            akka.remote.log-remote-lifecycle-events = off
            {{(node is null ? "akka.loglevel = ERROR" : "")}}
            {{ClusterWireSerializer.Binding}}
            {{JournalEventSerializer.Registration}}
            """);
        var config = overrides.WithFallback(settings.Config).WithFallback(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig());
        if (node is not null) config = config.WithFallback(Runs.CoordinatorJournal.Hocon(settings));
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), ClusterSecret.TlsSetup(secret));
        try
        {
            return ActorSystem.Create(settings.SystemName, setup);
        }
        catch (Exception e) when (InUse(e) && node is not null)
        {
            throw new ClusterConfigException(
                $"{settings.ConfigPath}: node {node.Name}: port {node.Port} on {node.Hostname} is in use (another node, or another program, listens there); stop it or give the node another port");
        }
    }

    private static bool InUse(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
            if (inner.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) return true;
            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(InUse)) return true;
        }
        return false;
    }

    /// <summary>Whether the node stopped because the cluster downed it, rather than because it was asked to leave.</summary>
    public bool WasDowned => CoordinatedShutdown.Get(System).ShutdownReason is CoordinatedShutdown.ClusterDowningReason;

    /// <summary>Leaves the cluster gracefully (leaving, exiting, removed) and stops the system.</summary>
    public Task LeaveAsync() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

    public void Dispose() => System.Dispose();
}
