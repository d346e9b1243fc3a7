using Akka.Actor;
using Migration.Cluster.Configuration;
using Migration.Cluster.Wire;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;

namespace Migration.Cluster.Runs;

/// <summary>
/// Drives one run across the cluster's nodes (a cluster singleton: one in the cluster, on the oldest
/// node). As <see cref="Simulator.Run"/> does in one process: the run, then one counterfactual run
/// per waivable veto, spread over the nodes (each is independent, so each runs whole on one node),
/// and the verdicts; with a journal, the run once more with the verdicts known, every node writing
/// its hosts' events into one run (whose row the coordinator creates and closes); then the report
/// goes back to whoever asked. The run itself advances by
/// conservative windows: from the earliest pending event anywhere (counting what is in flight
/// between nodes), one lookahead long, every node running its hosts through it on its own; empty
/// stretches of virtual time are skipped.
/// </summary>
public sealed class RunCoordinator : ReceiveActor, IWithTimers
{
    public const string Name = "coordinator";
    public const string ProxyName = "coordinator-proxy";

    /// <summary>How long a node may take to answer one step (a window, opening, closing) before the run is given up.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How often the asker hears how far the run is (wall clock: progress for people).</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private readonly ClusterConfig config;
    private IActorRef requester = ActorRefs.Nobody;
    private StartRun run = new();
    private ScenarioText scenario = null!;
    private int[] nodeOfHost = [];
    private ActorSelection[] partitions = [];
    private string execution = "";
    private int executionCount;
    private int stage;
    private long horizonTicks;
    private long window;
    private long windowsTotal;
    private long crossNodeTotal;
    private long currentTicks;
    private int answersPending;
    private long? earliest;
    private int[] expected = [];
    private readonly List<PartitionResult> closed = new();
    private readonly Dictionary<int, Outcome> counterfactuals = new();
    private RunReport? first;
    private object? lastAnswer;
    private WindowPlanner planner = null!;
    private string[] journalOfNode = [];

    private sealed record StepTimedOut(string Execution, long Step);

    private sealed record Tick;

    public RunCoordinator(ClusterConfig config)
    {
        this.config = config;
        Become(Idle);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterConfig config) => Akka.Actor.Props.Create(() => new RunCoordinator(config));

    private void Idle()
    {
        Receive<StartRun>(start =>
        {
            // The last request again (its answer crossed the resend): the same answer, not another run.
            if (start.RequestId.Length > 0 && start.RequestId == run.RequestId && lastAnswer is not null) Sender.Tell(lastAnswer);
            else OnStart(start);
        });
    }

    private void Busy()
    {
        Receive<StartRun>(again =>
        {
            // The same request sent again (it heard nothing yet): answer there from now on.
            if (again.RequestId.Length > 0 && again.RequestId == run.RequestId) requester = Sender;
            else Sender.Tell(new RunFailed { Message = "the cluster is running another scenario; try again when it is done" });
        });
        Receive<PartitionOpened>(OnOpened);
        Receive<WindowDone>(OnWindowDone);
        Receive<PartitionClosed>(OnClosed);
        Receive<CounterfactualDone>(OnCounterfactualDone);
        Receive<PartitionFailed>(f => { if (f.Execution == execution) Fail($"node {config.Nodes[f.Node].Name}: {f.Message}"); });
        Receive<StepTimedOut>(t => { if (t.Execution == execution) Fail($"a node did not answer within {StepTimeout.TotalSeconds:0} s (step {t.Step} of {execution})"); });
        Receive<Tick>(_ => requester.Tell(new RunProgress { Stage = stage, Windows = windowsTotal, VirtualTicks = currentTicks }));
    }

    private void OnStart(StartRun start)
    {
        requester = Sender;
        run = start;
        lastAnswer = null;
        try
        {
            scenario = RunWire.ScenarioOf(start);
            nodeOfHost = Placement.Assign(config, scenario.Scenario);
        }
        catch (Exception e) when (e is Scenarios.Model.ScenarioException or ClusterConfigException or InvalidDataException)
        {
            Sender.Tell(new RunFailed { Message = e.Message });
            return;
        }
        horizonTicks = SimulationRun.Horizon(scenario.Scenario).Ticks;
        // A node's own journal (migration.nodes[].journal) if it names one, or the run's.
        journalOfNode = config.Nodes.Select(n => start.JournalUri.Length == 0 ? "" : n.Journal is { } own ? JournalUri.Absolute(own) : start.JournalUri).ToArray();
        partitions = config.Nodes.Select(n => Context.ActorSelection($"{config.AddressOf(n)}/user/{PartitionActor.Name}")).ToArray();
        windowsTotal = 0;
        crossNodeTotal = 0;
        counterfactuals.Clear();
        Become(Busy);
        Timers.StartPeriodicTimer("progress", new Tick(), ProgressInterval);
        requester.Tell(new RunProgress { Stage = 1, Message = "started" });
        OpenExecution(stage: 1, needless: []);
    }

    private bool Journaled => stage == 3;

    private void OpenExecution(int stage, IReadOnlyCollection<int> needless)
    {
        this.stage = stage;
        execution = $"{Self.Path.Name}-{++executionCount}";
        planner = new WindowPlanner(scenario.Scenario.Network.Latency.Ticks, horizonTicks, Journaled ? PartitionedRun.CommitInterval.Ticks : 0);
        window = 0;
        closed.Clear();
        earliest = null;
        expected = new int[partitions.Length];
        answersPending = 0;
        var peers = config.Nodes.Select(n => $"{config.AddressOf(n)}/user/{PartitionActor.Name}").ToArray();
        for (var n = 0; n < partitions.Length; n++)
        {
            var hosts = Enumerable.Range(0, nodeOfHost.Length).Where(h => nodeOfHost[h] == n).ToArray();
            if (hosts.Length == 0) continue;
            var open = new OpenPartition { Execution = execution, Run = run, Self = n };
            open.Hosts.AddRange(hosts);
            open.Needless.AddRange(needless.Order());
            open.Peers.AddRange(peers);
            open.NodeOfHost.AddRange(nodeOfHost);
            if (Journaled)
            {
                open.JournalUri = journalOfNode[n];
                open.RunId = run.RunId;
            }
            partitions[n].Tell(open);
            answersPending++;
        }
        ExpectAnswers();
    }

    private IEnumerable<int> ActiveNodes => Enumerable.Range(0, partitions.Length).Where(n => nodeOfHost.Contains(n));

    private void OnOpened(PartitionOpened opened)
    {
        if (opened.Execution != execution) return;
        if (opened.HasNext) earliest = Min(earliest, opened.NextEventTicks);
        if (--answersPending == 0) NextWindow();
    }

    private void NextWindow()
    {
        var (commit, windowEnd) = planner.Next(earliest);
        if (windowEnd is not { } end)
        {
            foreach (var n in ActiveNodes)
            {
                partitions[n].Tell(new ClosePartition { Execution = execution, HorizonTicks = horizonTicks, HasCommit = commit is not null, CommitTicks = commit ?? 0 });
                answersPending++;
            }
            ExpectAnswers();
            return;
        }
        window++;
        windowsTotal++;
        currentTicks = earliest ?? currentTicks;
        earliest = null;
        var counts = expected;
        expected = new int[partitions.Length];
        foreach (var n in ActiveNodes)
        {
            partitions[n].Tell(new RunWindowRequest
            {
                Execution = execution, Window = window, EndTicks = end, ExpectedBatches = counts[n], HasCommit = commit is not null, CommitTicks = commit ?? 0,
            });
            answersPending++;
        }
        ExpectAnswers();
    }

    private void OnWindowDone(WindowDone done)
    {
        if (done.Execution != execution || done.Window != window) return;
        if (done.HasNext) earliest = Min(earliest, done.NextEventTicks);
        if (done.HasEarliestSent) earliest = Min(earliest, done.EarliestSentTicks);
        foreach (var to in done.BatchTo) expected[to]++;
        crossNodeTotal += done.EnvelopesSent;
        if (--answersPending == 0) NextWindow();
    }

    private void OnClosed(PartitionClosed partitionClosed)
    {
        if (partitionClosed.Execution != execution) return;
        closed.Add(RunWire.FromMessage(partitionClosed.Result));
        if (--answersPending > 0) return;
        Timers.Cancel("step");
        RunReport report;
        try
        {
            report = Journaled
                ? PartitionedRun.Assemble(scenario.Scenario, FinalOptions, closed.ToArray(), run.RunId, counterfactuals.Count)
                : PartitionedRun.Assemble(scenario.Scenario, RunWire.OptionsOf(run), closed.ToArray(), runId: null, counterfactuals: 0);
        }
        catch (InvalidOperationException e)
        {
            Fail(e.Message);
            return;
        }
        if (!Journaled)
        {
            first = report;
            StartCounterfactuals(report);
            return;
        }
        try
        {
            foreach (var uri in JournalsUsed) WithStore(uri, store => store.FinishRun(run.RunId, RunStatus.Completed, report.ResultHash, DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (e is JournalException or System.Data.Common.DbException)
        {
            Fail(e.Message);
            return;
        }
        Reply(report);
    }

    private RunOptions FinalOptions => RunWire.OptionsOf(run, Needless);

    private IReadOnlyCollection<int> Needless => counterfactuals.Where(c => c.Value == Outcome.Completed).Select(c => c.Key).Order().ToArray();

    /// <summary>The distinct journals the nodes that hold hosts write to.</summary>
    private IEnumerable<string> JournalsUsed => ActiveNodes.Select(n => journalOfNode[n]).Distinct(StringComparer.Ordinal);

    private static void WithStore(string uri, Action<IJournalStore> action)
    {
        using var store = JournalUri.Open(uri);
        action(store);
    }

    private void StartCounterfactuals(RunReport report)
    {
        stage = 2;
        var vetoed = report.Migrations.Where(m => m.Outcome == Outcome.Vetoed && m.Refusal is { Waivable: true }).Select(m => m.Index).ToArray();
        if (vetoed.Length == 0)
        {
            Finish();
            return;
        }
        execution = $"{Self.Path.Name}-{++executionCount}";
        var nodes = ActiveNodes.ToArray();
        for (var i = 0; i < vetoed.Length; i++)
        {
            partitions[nodes[i % nodes.Length]].Tell(new CounterfactualRequest { Execution = execution, Run = run, Migration = vetoed[i] });
        }
        answersPending = vetoed.Length;
        ExpectAnswers();
    }

    private void OnCounterfactualDone(CounterfactualDone done)
    {
        if (done.Execution != execution) return;
        counterfactuals[done.Migration] = OutcomeNames.TryParse(done.Outcome, out var outcome) ? outcome : Outcome.Failed;
        if (--answersPending == 0) Finish();
    }

    /// <summary>The verdicts are in: without a journal the report is the first run's with them; with one, the run goes once more, journaled.</summary>
    private void Finish()
    {
        if (run.JournalUri.Length > 0)
        {
            try
            {
                // The run's row in every journal a node writes to, before any node attaches to it.
                var record = Simulator.RunRecordOf(scenario, FinalOptions, run.RunId);
                foreach (var uri in JournalsUsed) WithStore(uri, store => store.CreateRun(record));
            }
            catch (Exception e) when (e is JournalException or System.Data.Common.DbException)
            {
                Fail(e.Message);
                return;
            }
            OpenExecution(stage: 3, Needless);
            return;
        }
        var needless = Needless.ToHashSet();
        var migrations = first!.Migrations.Select(m => needless.Contains(m.Index) ? m with { Outcome = Outcome.NeedlessVeto } : m).ToArray();
        Reply(SimulationRun.Restamp(first with { Migrations = migrations, Summary = RunSummary.Of(migrations), CounterfactualRuns = counterfactuals.Count },
            scenario.Scenario));
    }

    private void Reply(RunReport report)
    {
        Timers.Cancel("step");
        Timers.Cancel("progress");
        lastAnswer = new RunDone { Report = ReportWire.ToMessage(report), Windows = windowsTotal, CrossNodeMessages = crossNodeTotal };
        requester.Tell(lastAnswer);
        execution = "";
        Become(Idle);
    }

    private void Fail(string message)
    {
        Timers.Cancel("step");
        Timers.Cancel("progress");
        lastAnswer = new RunFailed { Message = message };
        requester.Tell(lastAnswer);
        execution = "";
        Become(Idle);
    }

    private void ExpectAnswers() => Timers.StartSingleTimer("step", new StepTimedOut(execution, window), StepTimeout);

    private static long Min(long? a, long b) => a is { } x && x < b ? x : b;
}
