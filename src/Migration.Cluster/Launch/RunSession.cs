using Akka.Actor;
using Migration.Cluster.Configuration;
using Migration.Cluster.Nodes;
using Migration.Cluster.Runs;
using Migration.Cluster.Security;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Launch;

/// <summary>
/// A client of a running cluster, from outside it (an ActorSystem with <c>provider = remote</c> and the
/// cluster secret's TLS; it joins nothing): asks the coordinator, through a seed node's singleton
/// proxies, for one run after another.
/// </summary>
public sealed class RunSession : IDisposable
{
    private readonly ActorSystem system;
    private readonly ActorSelection[] coordinators;

    // Held as long as the system: TLS presents it on every connection the system makes.
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 secret;
    private int runs;

    private readonly ClusterConfig config;

    public RunSession(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        secret = ClusterSecret.Load(config);
        system = NodeHost.CreateSystem(config, node: null, secret, provider: "remote", roles: []);
        // Every node's singleton proxy, seed nodes first: the client turns to the next while the coordinator is silent.
        coordinators = config.SeedNodes.Concat(config.Nodes.Except(config.SeedNodes))
            .Select(n => system.ActorSelection($"{config.AddressOf(n)}/user/{RunCoordinator.ProxyName}")).ToArray();
    }

    /// <summary>Runs <paramref name="start"/> on the cluster; <paramref name="progress"/> hears how far it is.</summary>
    public RunDone Run(StartRun start, TimeSpan timeout, Action<RunProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        // Names the request, not anything simulated: a resend of it is recognised as the same run.
        if (start.RequestId.Length == 0) start = new StartRun(start) { RequestId = start.RunId.Length > 0 ? start.RunId : Guid.NewGuid().ToString("N") };
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var onProgress = progress ?? Ignore;
        var client = system.ActorOf(Props.Create(() => new RunClient(coordinators, start, onProgress, answer)), $"run-client-{++runs}");
        try
        {
            if (!answer.Task.Wait(timeout)) throw new TimeoutException($"the run did not end within {timeout.TotalMinutes:0} min");
            return answer.Task.Result switch
            {
                RunDone done => done,
                RunFailed failed => throw new InvalidOperationException($"the run failed: {failed.Message}"),
                var other => throw new InvalidOperationException($"an unexpected answer: {other}"),
            };
        }
        finally
        {
            system.Stop(client);
        }
    }

    /// <summary>
    /// Runs <paramref name="start"/> whole on node <paramref name="node"/> of the config (an
    /// experiment's independent run), and returns its answer.
    /// </summary>
    public RunDone RunAlone(int node, StartRun start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        var target = system.ActorSelection($"{config.AddressOf(config.Nodes[node])}/user/{PartitionActor.Name}");
        object answer;
        try
        {
            answer = target.Ask<object>(new RunAlone { Start = start }, timeout).GetAwaiter().GetResult();
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"node {config.Nodes[node].Name} did not answer a run within {timeout.TotalMinutes:0} min");
        }
        return answer switch
        {
            RunDone done => done,
            RunFailed failed => throw new InvalidOperationException($"the run failed on node {config.Nodes[node].Name}: {failed.Message}"),
            var other => throw new InvalidOperationException($"an unexpected answer from node {config.Nodes[node].Name}: {other}"),
        };
    }

    /// <summary>Has node <paramref name="from"/> make <paramref name="count"/> round trips to node <paramref name="to"/>; the wall seconds they took.</summary>
    public double RoundTrips(int from, int to, int count, TimeSpan timeout)
    {
        var target = system.ActorSelection($"{config.AddressOf(config.Nodes[from])}/user/{PartitionActor.Name}");
        var peer = $"{config.AddressOf(config.Nodes[to])}/user/{PartitionActor.Name}";
        var done = target.Ask<RoundTripsDone>(new RoundTripsRequest { Peer = peer, Count = count }, timeout).GetAwaiter().GetResult();
        return done.WallSeconds;
    }

    private static void Ignore(RunProgress progress)
    {
    }

    public void Dispose()
    {
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        secret.Dispose();
    }
}
