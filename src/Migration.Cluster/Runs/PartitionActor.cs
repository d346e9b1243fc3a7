using Akka.Actor;
using Migration.Cluster.Wire;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Simulation.Distributed;
using Migration.Simulation.Running;
using Migration.Simulation.Wire;
using Migration.Xen.Oracle;

namespace Migration.Cluster.Runs;

/// <summary>
/// A node's share of a run: the deterministic engine's partition of the node's simulated hosts,
/// hosted inside this actor and advanced only by the coordinator's windows, never by Akka's clock.
/// Before running window w it takes in every batch the other nodes' hosts sent its hosts in window
/// w - 1 (the coordinator says how many to wait for: Akka.Remote keeps order between two actors,
/// not across three); after it, it sends each node what its hosts sent there and tells the
/// coordinator. It runs on a dispatcher of its own, so a long window never holds up Akka's
/// heartbeats. One execution at a time; messages of another are answered as such or dropped.
/// </summary>
public sealed class PartitionActor : ReceiveActor
{
    public const string Name = "partition";

    /// <summary>The dispatcher (a thread of its own) the partition runs on; defined in the node's config.</summary>
    public const string Dispatcher = "migration.partition-dispatcher";

    private readonly int node;
    private string execution = "";
    private SimulationPartition? partition;
    private IJournalStore? store;
    private ActorSelection[] peers = [];
    private int[] nodeOfHost = [];
    private readonly Dictionary<long, List<EnvelopeBatch>> batches = new();
    private (RunWindowRequest Request, IActorRef Coordinator)? waiting;

    public PartitionActor(int node)
    {
        this.node = node;
        Receive<OpenPartition>(OnOpen);
        Receive<EnvelopeBatch>(OnBatch);
        Receive<RunWindowRequest>(OnRunWindow);
        Receive<ClosePartition>(OnClose);
        Receive<CounterfactualRequest>(OnCounterfactual);
        Receive<RunAlone>(OnRunAlone);
        Receive<Ping>(ping => Sender.Tell(new Pong { Number = ping.Number }));
        Receive<RoundTripsRequest>(OnRoundTrips);
        Receive<Pong>(OnPong);
    }

    // ---- bench cluster: round trips to another node, one after another ----
    private (ActorSelection Peer, int Count, IActorRef Asker, System.Diagnostics.Stopwatch Clock)? measuring;

    private void OnRoundTrips(RoundTripsRequest request)
    {
        measuring = (Context.ActorSelection(request.Peer), Math.Max(1, request.Count), Sender, System.Diagnostics.Stopwatch.StartNew());
        measuring.Value.Peer.Tell(new Ping { Number = 1 });
    }

    private void OnPong(Pong pong)
    {
        if (measuring is not { } m) return;
        if (pong.Number < m.Count)
        {
            m.Peer.Tell(new Ping { Number = pong.Number + 1 });
            return;
        }
        m.Asker.Tell(new RoundTripsDone { Count = m.Count, WallSeconds = m.Clock.Elapsed.TotalSeconds });
        measuring = null;
    }

    public static Props Props(int node) => Akka.Actor.Props.Create(() => new PartitionActor(node)).WithDispatcher(Dispatcher);

    private void OnOpen(OpenPartition open)
    {
        Try(open.Execution, () =>
        {
            execution = open.Execution;
            batches.Clear();
            waiting = null;
            partition = null;
            CloseStore();
            var scenario = ScenarioOf(open.Run);
            if (open.JournalUri.Length > 0) store = JournalUri.Open(open.JournalUri);
            partition = new SimulationPartition(scenario.Scenario, RunWire.OptionsOf(open.Run, open.Needless), open.Hosts.ToArray(),
                store is null ? null : (store, open.RunId, open.Verify ? PersistenceMode.Verify : open.Resume ? PersistenceMode.Resume : PersistenceMode.Record));
            peers = open.Peers.Select(path => Context.ActorSelection(path)).ToArray();
            nodeOfHost = open.NodeOfHost.ToArray();
            var next = partition.NextEventTicks;
            Sender.Tell(new PartitionOpened { Execution = execution, Node = node, HasNext = next is not null, NextEventTicks = next ?? 0 });
        });
    }

    private void OnBatch(EnvelopeBatch batch)
    {
        if (batch.Execution != execution) return;   // a batch of an execution that is over
        if (!batches.TryGetValue(batch.Window, out var list)) batches[batch.Window] = list = new List<EnvelopeBatch>();
        list.Add(batch);
        if (waiting is { } pending && Ready(pending.Request)) Run(pending.Request, pending.Coordinator);
    }

    private void OnRunWindow(RunWindowRequest request)
    {
        if (request.Execution != execution || partition is null)
        {
            Sender.Tell(new PartitionFailed { Execution = request.Execution, Node = node, Message = $"node {node} has no partition of execution {request.Execution}" });
            return;
        }
        if (Ready(request)) Run(request, Sender);
        else waiting = (request, Sender);
    }

    private bool Ready(RunWindowRequest request) =>
        request.ExpectedBatches == 0 || (batches.TryGetValue(request.Window - 1, out var arrived) && arrived.Count >= request.ExpectedBatches);

    private void Run(RunWindowRequest request, IActorRef coordinator)
    {
        waiting = null;
        Try(request.Execution, () =>
        {
            if (batches.Remove(request.Window - 1, out var arrived))
            {
                // In node order: each batch holds its origin hosts' envelopes in their sending order.
                foreach (var batch in arrived.OrderBy(b => b.FromNode)) partition!.Inject(batch.Envelopes);
            }
            if (request.HasCommit) partition!.Commit(request.CommitTicks);
            var leaving = partition!.RunWindow(request.EndTicks);
            var done = new WindowDone { Execution = execution, Window = request.Window, Node = node, EnvelopesSent = leaving.Count };
            foreach (var group in leaving.GroupBy(w => nodeOfHost[PartitionedRun.HostOfTarget(w)]).OrderBy(g => g.Key))
            {
                var batch = new EnvelopeBatch { Execution = execution, Window = request.Window, FromNode = node };
                batch.Envelopes.AddRange(group);
                peers[group.Key].Tell(batch, Self);
                done.BatchTo.Add(group.Key);
            }
            if (leaving.Count > 0)
            {
                done.HasEarliestSent = true;
                done.EarliestSentTicks = leaving.Min(w => w.TimeTicks);
            }
            var next = partition.NextEventTicks;
            done.HasNext = next is not null;
            done.NextEventTicks = next ?? 0;
            coordinator.Tell(done, Self);
        }, coordinator);
    }

    private void OnClose(ClosePartition close)
    {
        if (close.Execution != execution || partition is null) return;
        Try(close.Execution, () =>
        {
            if (close.HasCommit) partition.Commit(close.CommitTicks);
            partition.Finish(close.HorizonTicks);
            Sender.Tell(new PartitionClosed { Execution = execution, Node = node, Result = RunWire.ToMessage(partition.Result()) });
            partition = null;
            execution = "";
            CloseStore();
        });
    }

    private void CloseStore()
    {
        store?.Dispose();
        store = null;
    }

    protected override void PostStop() => CloseStore();

    private void OnCounterfactual(CounterfactualRequest request)
    {
        Try(request.Execution, () =>
        {
            var scenario = ScenarioOf(request.Run);
            var outcome = Simulator.Counterfactual(scenario.Scenario, RunWire.OptionsOf(request.Run), request.Migration);
            Sender.Tell(new CounterfactualDone { Execution = request.Execution, Migration = request.Migration, Outcome = OutcomeNames.Of(outcome) });
        });
    }

    // A run's executions, its counterfactual runs and an experiment's runs all send one scenario: it is parsed once.
    private (string Source, string Yaml, bool BuiltIn, ScenarioText Scenario)? lastScenario;

    private ScenarioText ScenarioOf(StartRun start)
    {
        if (lastScenario is { } last && last.Source == start.ScenarioSource && last.Yaml == start.ScenarioYaml && last.BuiltIn == start.BuiltIn) return last.Scenario;
        var scenario = RunWire.ScenarioOf(start);
        lastScenario = (start.ScenarioSource, start.ScenarioYaml, start.BuiltIn, scenario);
        return scenario;
    }

    /// <summary>One independent run of an experiment, whole, here (a node takes one at a time).</summary>
    private void OnRunAlone(RunAlone request)
    {
        try
        {
            var start = request.Start;
            var scenario = ScenarioOf(start);
            var options = RunWire.OptionsOf(start);
            Simulation.Reports.RunReport report;
            if (start.JournalUri.Length > 0)
            {
                using var journal = JournalUri.Open(start.JournalUri);
                report = Simulator.Run(scenario, options, journal, start.RunId.Length > 0 ? start.RunId : null);
            }
            else report = Simulator.Run(scenario, options);
            Sender.Tell(new RunDone { Report = Simulation.Reports.ReportWire.ToMessage(report) });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Sender.Tell(new RunFailed { Message = $"node {node}: {e.Message}" });
        }
    }

    /// <summary>What goes wrong in the simulation is told to the coordinator, not thrown: the node carries on.</summary>
    private void Try(string forExecution, Action action, IActorRef? replyTo = null)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (replyTo ?? Sender).Tell(new PartitionFailed { Execution = forExecution, Node = node, Message = e.Message });
        }
    }
}
