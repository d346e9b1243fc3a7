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
        var name = config.Nodes[node].Name;
        if (!partitions.TryGetValue(node, out var target))
        {
            try
            {
                target = system.ActorSelection($"{config.AddressOf(config.Nodes[node])}/user/{PartitionActor.Name}")
                    .ResolveOne(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            }
            catch (ActorNotFoundException)
            {
                throw new InvalidOperationException($"node {name} does not answer (is its process running?)");
            }
            partitions[node] = target;
        }
        // Watched while it runs: a node that dies (or stops answering heartbeats) fails the run at
        // once, rather than after the timeout.
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asker = system.ActorOf(Props.Create(() => new WatchingAsker(target, new RunAlone { Start = start }, answer)));
        try
        {
            if (!answer.Task.Wait(timeout)) throw new TimeoutException($"node {name} did not answer a run within {timeout.TotalMinutes:0} min");
        }
        finally
        {
            system.Stop(asker);
        }
        return answer.Task.Result switch
        {
            RunDone done => done,
            RunFailed failed => throw new InvalidOperationException($"the run failed on node {name}: {failed.Message}"),
            Terminated => Forget(node, new InvalidOperationException($"node {name} died or stopped answering during a run (Akka's failure detector)")),
            var other => throw new InvalidOperationException($"an unexpected answer from node {name}: {other}"),
        };
    }

    // Each node's partition actor, resolved once (experiments ask it many times, from several threads).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, IActorRef> partitions = new();

    private RunDone Forget(int node, Exception failure)
    {
        partitions.TryRemove(node, out _);
        throw failure;
    }

    /// <summary>Sends one request to a watched actor; its answer, or its termination, completes <c>answer</c>.</summary>
    private sealed class WatchingAsker : ReceiveActor
    {
        public WatchingAsker(IActorRef target, object request, TaskCompletionSource<object> answer)
        {
            Context.Watch(target);
            target.Tell(request);
            Receive<Terminated>(t => answer.TrySetResult(t));
            ReceiveAny(reply => answer.TrySetResult(reply));
        }
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
