using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Persistence;
using Migration.Cluster.Configuration;
using Migration.Cluster.Nodes;
using Migration.Cluster.Wire;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using ClusterMember = Akka.Cluster.Member;

namespace Migration.Cluster.Runs;

/// <summary>
/// Drives one run across the cluster's nodes (a cluster singleton: one in the cluster, on the oldest
/// node). As <see cref="Simulator.Run"/> does in one process: the run, then one counterfactual run
/// per waivable veto, spread over the nodes (each is independent, so each runs whole on one node),
/// and the verdicts; with a journal, the run once more with the verdicts known, every node writing
/// its hosts' events into one run (whose row the coordinator creates and closes); then the report
/// goes back to whoever asked. The run itself advances by conservative windows: from the earliest
/// pending event anywhere (counting what is in flight between nodes), one lookahead long, every
/// node running its hosts through it on its own; empty stretches of virtual time are skipped.
/// <para>
/// Faults: when a node holding a share of the run becomes unreachable or leaves, the execution in
/// progress is abandoned; once every node of the config is up again (the launcher restarts a dead
/// node, which rejoins) the stage is executed again from its start, a journaled one in Resume mode
/// (stored events checked, the rest written). The coordinator's own state (the run, its placement,
/// the verdicts, the last window committed) is a persistent actor's on Akka.Persistence.Sql: a
/// coordinator started on another node, after its node died, recovers it and carries on.
/// </para>
/// </summary>
public sealed class RunCoordinator : Akka.Persistence.ReceivePersistentActor, IWithTimers
{
    public const string Name = "coordinator";
    public const string ProxyName = "coordinator-proxy";

    /// <summary>The one coordinator's persistence id in its Akka.Persistence.Sql journal.</summary>
    public const string PersistenceIdOfCoordinator = "migration-run-coordinator";

    /// <summary>How long a node may take to answer one step (a window, opening, closing) before the run is given up.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long the nodes may take to be all up again after a fault before the run is given up.</summary>
    public static readonly TimeSpan RejoinTimeout = TimeSpan.FromMinutes(3);

    /// <summary>How often the asker hears how far the run is (wall clock: progress for people).</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often, at most, the coordinator journals the window committed (wall clock).</summary>
    public static readonly TimeSpan CommittedInterval = TimeSpan.FromSeconds(1);

    private readonly ClusterConfig config;
    private readonly Akka.Cluster.Cluster cluster;
    private readonly ActorSelection[] partitions;
    private IActorRef requester = ActorRefs.Nobody;

    // The run in progress (durable: recovered from the journal).
    private StartRun run = new();
    private bool inProgress;
    private ScenarioText scenario = null!;
    private int[] nodeOfHost = [];
    private string[] journalOfNode = [];
    private CoordinatorFirstRunDone? first;
    private readonly Dictionary<int, Outcome> counterfactuals = new();
    private object? lastAnswer;
    private long committedTicks;

    // The execution in progress (not durable: a recovered coordinator executes its stage again).
    private string execution = "";
    private int executionCount;
    private int stage;
    private long horizonTicks;
    private WindowPlanner planner = null!;
    private long window;
    private long stageWindows;
    private long stageCrossNode;
    private long currentTicks;
    private int answersPending;
    private long? earliest;
    private int[] expected = [];

    // Each node's next event, as it last said: a node with none in a window, and nothing sent to
    // it, sits the window out (it would only move its clock).
    private long?[] nextOf = [];
    private readonly List<PartitionResult> closed = new();
    private int[] vetoedToDecide = [];
    private PersistenceMode journalMode;
    private DateTime lastCommittedJournaled = DateTime.MinValue;
    private string interruption = "";

    private sealed record StepTimedOut(string Execution, long Step);

    private sealed record Tick;

    private sealed record CheckNodes;

    private sealed record RejoinTimedOut(string Interruption);

    public RunCoordinator(ClusterConfig config)
    {
        this.config = config;
        cluster = Akka.Cluster.Cluster.Get(Context.System);
        partitions = config.Nodes.Select(n => Context.ActorSelection($"{config.AddressOf(n)}/user/{PartitionActor.Name}")).ToArray();
        Recover<CoordinatorRunAccepted>(Apply);
        Recover<CoordinatorFirstRunDone>(Apply);
        Recover<CoordinatorVerdict>(Apply);
        Recover<CoordinatorCommitted>(Apply);
        Recover<CoordinatorRunAnswered>(Apply);
        Recover<Akka.Persistence.RecoveryCompleted>(_ => OnRecovered());
        Idle();
    }

    public override string PersistenceId => PersistenceIdOfCoordinator;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterConfig config) => Akka.Actor.Props.Create(() => new RunCoordinator(config));

    protected override void PreStart()
    {
        base.PreStart();
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    protected override void PostStop()
    {
        cluster.Unsubscribe(Self);
        base.PostStop();
    }

    // ---- Durable state ---------------------------------------------------------------------------

    private void Apply(CoordinatorRunAccepted accepted)
    {
        run = accepted.Run;
        scenario = RunWire.ScenarioOf(run);
        nodeOfHost = accepted.NodeOfHost.ToArray();
        horizonTicks = SimulationRun.Horizon(scenario.Scenario).Ticks;
        // A node's own journal (migration.nodes[].journal) if it names one, or the run's.
        journalOfNode = config.Nodes.Select(n => run.JournalUri.Length == 0 ? "" : n.Journal is { } own ? JournalUri.Absolute(own) : run.JournalUri).ToArray();
        first = null;
        counterfactuals.Clear();
        committedTicks = 0;
        lastAnswer = null;
        inProgress = true;
    }

    private void Apply(CoordinatorFirstRunDone done) => first = done;

    private void Apply(CoordinatorVerdict verdict) =>
        counterfactuals[verdict.Migration] = OutcomeNames.TryParse(verdict.Outcome, out var outcome) ? outcome : Outcome.Failed;

    private void Apply(CoordinatorCommitted committed) => committedTicks = committed.CommitTicks;

    private void Apply(CoordinatorRunAnswered answered)
    {
        lastAnswer = answered.AnswerCase == CoordinatorRunAnswered.AnswerOneofCase.Done ? answered.Done : answered.Failed;
        inProgress = false;
    }

    private void OnRecovered()
    {
        if (!inProgress) return;
        // The coordinator that had this run died with its node: carry it on once every node is up.
        Interrupt("the coordinator moved to this node (its last node died)");
    }

    // ---- Behaviours ------------------------------------------------------------------------------

    private void Idle()
    {
        Command<StartRun>(start =>
        {
            // The last request again (its answer crossed the resend): the same answer, not another run.
            if (start.RequestId.Length > 0 && start.RequestId == run.RequestId && lastAnswer is not null) Sender.Tell(lastAnswer);
            else OnStart(start);
        });
        IgnoreMembership();
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => Akka.Event.Logging.GetLogger(Context).Warning("the coordinator could not delete its finished runs' events: {0}", f.Cause.Message));
    }

    private void Executing()
    {
        CommandsOfARun();
        Command<PartitionOpened>(OnOpened);
        Command<WindowDone>(OnWindowDone);
        Command<PartitionClosed>(OnClosed);
        Command<CounterfactualDone>(OnCounterfactualDone);
        Command<PartitionFailed>(f => { if (f.Execution == execution) Fail($"node {config.Nodes[f.Node].Name}: {f.Message}"); });
        Command<StepTimedOut>(t => { if (t.Execution == execution) Fail($"a node did not answer within {StepTimeout.TotalSeconds:0} s (step {t.Step} of {execution})"); });
        Command<ClusterEvent.UnreachableMember>(e => { if (HoldsPart(e.Member)) Interrupt($"node {NameOf(e.Member)} is unreachable"); });
        Command<ClusterEvent.MemberRemoved>(e => { if (HoldsPart(e.Member)) Interrupt($"node {NameOf(e.Member)} left the cluster"); });
        Command<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    private void WaitingForNodes()
    {
        CommandsOfARun();
        Command<CheckNodes>(_ => ResumeIfEveryNodeIsUp());
        Command<ClusterEvent.IClusterDomainEvent>(_ => ResumeIfEveryNodeIsUp());
        Command<RejoinTimedOut>(t =>
        {
            if (t.Interruption == interruption)
                Fail($"{interruption}, and the nodes were not all up again within {RejoinTimeout.TotalSeconds:0} s: {string.Join(", ", MissingNodes())} missing");
        });
        // What the abandoned execution's nodes still say is of no use now.
        Command<PartitionOpened>(_ => { });
        Command<WindowDone>(_ => { });
        Command<PartitionClosed>(_ => { });
        Command<CounterfactualDone>(_ => { });
        Command<PartitionFailed>(_ => { });
        Command<StepTimedOut>(_ => { });
    }

    private void CommandsOfARun()
    {
        Command<StartRun>(again =>
        {
            // The same request sent again (it heard nothing, or its coordinator moved): answer there from now on.
            if (again.RequestId.Length > 0 && again.RequestId == run.RequestId)
            {
                requester = Sender;
                requester.Tell(Progress(interruption.Length > 0 ? $"{interruption}; waiting for every node to be up" : "carrying on the run"));
            }
            else if (requester.IsNobody())
            {
                // A run recovered from an earlier cluster that no one waits for: it gives way.
                var asker = Sender;
                Timers.Cancel("step");
                Timers.Cancel("check-nodes");
                Timers.Cancel("rejoin");
                execution = "";
                Persist(new CoordinatorRunAnswered { Failed = new RunFailed { Message = "abandoned: no one waited for it, and another run was asked for" } }, a =>
                {
                    Apply(a);
                    Become(Idle);
                    OnStartFrom(asker, again);
                });
            }
            else Sender.Tell(new RunFailed { Message = "the cluster is running another scenario; try again when it is done" });
        });
        Command<Tick>(_ => requester.Tell(Progress("")));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    private void IgnoreMembership() => Command<ClusterEvent.IClusterDomainEvent>(_ => { });

    private RunProgress Progress(string message) => new()
    {
        Stage = stage, Windows = WindowsSoFar, VirtualTicks = currentTicks, Message = message, Coordinator = NodeName(cluster.SelfAddress),
    };

    private long WindowsSoFar => (first?.Windows ?? 0) + stageWindows;

    // ---- A run -----------------------------------------------------------------------------------

    private void OnStart(StartRun start) => OnStartFrom(Sender, start);

    private void OnStartFrom(IActorRef asker, StartRun start)
    {
        requester = asker;
        int[] placement;
        try
        {
            placement = Placement.Assign(config, RunWire.ScenarioOf(start).Scenario);
        }
        catch (Exception e) when (e is Scenarios.Model.ScenarioException or ClusterConfigException or InvalidDataException)
        {
            asker.Tell(new RunFailed { Message = e.Message });
            return;
        }
        var accepted = new CoordinatorRunAccepted { Run = start };
        accepted.NodeOfHost.AddRange(placement);
        Persist(accepted, a =>
        {
            Apply(a);
            Timers.StartPeriodicTimer("progress", new Tick(), ProgressInterval);
            requester.Tell(Progress("started"));
            ContinueRun();
        });
    }

    /// <summary>The next stage the durable state calls for, executed from its start.</summary>
    private void ContinueRun()
    {
        interruption = "";
        Timers.Cancel("check-nodes");
        Become(Executing);
        if (first is null)
        {
            OpenExecution(stage: 1, needless: [], PersistenceMode.Record);
            return;
        }
        var vetoed = ReportWire.FromMessage(first.Report).Migrations
            .Where(m => m.Outcome == Outcome.Vetoed && m.Refusal is { Waivable: true }).Select(m => m.Index).ToArray();
        vetoedToDecide = vetoed.Where(v => !counterfactuals.ContainsKey(v)).ToArray();
        if (vetoedToDecide.Length > 0)
        {
            StartCounterfactuals();
            return;
        }
        if (run.JournalUri.Length == 0)
        {
            AnswerWithoutJournal();
            return;
        }
        if (!OpenJournalRun(out var mode)) return;
        OpenExecution(stage: 3, Needless, mode);
    }

    private IEnumerable<int> ActiveNodes => Enumerable.Range(0, partitions.Length).Where(n => nodeOfHost.Contains(n));

    private void OpenExecution(int stage, IReadOnlyCollection<int> needless, PersistenceMode mode)
    {
        this.stage = stage;
        journalMode = mode;
        NewExecution();
        planner = new WindowPlanner(scenario.Scenario.Network.Latency.Ticks, horizonTicks, Journaled ? PartitionedRun.CommitInterval.Ticks : 0);
        window = 0;
        stageWindows = 0;
        stageCrossNode = 0;
        currentTicks = 0;
        closed.Clear();
        earliest = null;
        expected = new int[partitions.Length];
        nextOf = new long?[partitions.Length];
        answersPending = 0;
        var peers = config.Nodes.Select(n => $"{config.AddressOf(n)}/user/{PartitionActor.Name}").ToArray();
        foreach (var n in ActiveNodes)
        {
            var open = new OpenPartition { Execution = execution, Run = run, Self = n };
            open.Hosts.AddRange(Enumerable.Range(0, nodeOfHost.Length).Where(h => nodeOfHost[h] == n));
            open.Needless.AddRange(needless.Order());
            open.Peers.AddRange(peers);
            open.NodeOfHost.AddRange(nodeOfHost);
            if (Journaled)
            {
                open.JournalUri = journalOfNode[n];
                open.RunId = run.RunId;
                open.Resume = mode == PersistenceMode.Resume;
                open.Verify = mode == PersistenceMode.Verify;
            }
            partitions[n].Tell(open);
            answersPending++;
        }
        requester.Tell(Progress(""));   // the stage begins: said at once, however short it is
        ExpectAnswers();
    }

    private bool Journaled => stage == 3;

    private void OnOpened(PartitionOpened opened)
    {
        if (opened.Execution != execution) return;
        if (opened.HasNext) earliest = Min(earliest, opened.NextEventTicks);
        nextOf[opened.Node] = opened.HasNext ? opened.NextEventTicks : null;
        if (--answersPending == 0) NextWindow();
    }

    private void NextWindow()
    {
        var (commit, windowEnd) = planner.Next(earliest);
        if (commit is { } committed) JournalCommitted(committed);
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
        stageWindows++;
        currentTicks = earliest ?? currentTicks;
        earliest = null;
        var counts = expected;
        expected = new int[partitions.Length];
        foreach (var n in ActiveNodes)
        {
            var busy = counts[n] > 0 || commit is not null || (nextOf[n] is { } next && next <= end);
            if (!busy)
            {
                // Its next event is still to come: the next window starts no later than that.
                if (nextOf[n] is { } later) earliest = Min(earliest, later);
                continue;
            }
            partitions[n].Tell(new RunWindowRequest
            {
                Execution = execution, Window = window, EndTicks = end, ExpectedBatches = counts[n], HasCommit = commit is not null, CommitTicks = commit ?? 0,
            });
            answersPending++;
        }
        // Never so (the window starts at someone's event or at an envelope sent to someone), but a
        // window no node takes must not stall the run.
        if (answersPending == 0)
        {
            NextWindow();
            return;
        }
        ExpectAnswers();
    }

    /// <summary>
    /// The nodes commit <paramref name="ticks"/> before their next window: journaled (at most once
    /// a <see cref="CommittedInterval"/>, asynchronously: it informs, a resumed run does not need it).
    /// </summary>
    private void JournalCommitted(long ticks)
    {
        if (journalMode == PersistenceMode.Verify) return;
        var now = DateTime.UtcNow;
        if (now - lastCommittedJournaled < CommittedInterval) return;
        lastCommittedJournaled = now;
        PersistAsync(new CoordinatorCommitted { CommitTicks = ticks }, Apply);
    }

    private void OnWindowDone(WindowDone done)
    {
        if (done.Execution != execution || done.Window != window) return;
        if (done.HasNext) earliest = Min(earliest, done.NextEventTicks);
        nextOf[done.Node] = done.HasNext ? done.NextEventTicks : null;
        if (done.HasEarliestSent) earliest = Min(earliest, done.EarliestSentTicks);
        foreach (var to in done.BatchTo) expected[to]++;
        stageCrossNode += done.EnvelopesSent;
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
            execution = "";
            var done = new CoordinatorFirstRunDone { Report = ReportWire.ToMessage(report), Windows = stageWindows, CrossNodeMessages = stageCrossNode };
            stageWindows = 0;
            Persist(done, d =>
            {
                Apply(d);
                ContinueRun();
            });
            return;
        }
        if (journalMode != PersistenceMode.Verify)
        {
            try
            {
                foreach (var uri in JournalsUsed) WithStore(uri, store => store.FinishRun(run.RunId, RunStatus.Completed, report.ResultHash, DateTimeOffset.UtcNow));
            }
            catch (Exception e) when (e is JournalException or System.Data.Common.DbException)
            {
                Fail(e.Message);
                return;
            }
        }
        Answer(new RunDone { Report = ReportWire.ToMessage(report), Windows = WindowsSoFar, CrossNodeMessages = first!.CrossNodeMessages + stageCrossNode });
    }

    private void StartCounterfactuals()
    {
        stage = 2;
        stageWindows = 0;
        NewExecution();
        var nodes = ActiveNodes.ToArray();
        for (var i = 0; i < vetoedToDecide.Length; i++)
        {
            partitions[nodes[i % nodes.Length]].Tell(new CounterfactualRequest { Execution = execution, Run = run, Migration = vetoedToDecide[i] });
        }
        answersPending = vetoedToDecide.Length;
        requester.Tell(Progress(""));
        ExpectAnswers();
    }

    private void OnCounterfactualDone(CounterfactualDone done)
    {
        if (done.Execution != execution || counterfactuals.ContainsKey(done.Migration)) return;
        Persist(new CoordinatorVerdict { Migration = done.Migration, Outcome = done.Outcome }, verdict =>
        {
            Apply(verdict);
            if (--answersPending > 0) return;
            Timers.Cancel("step");
            execution = "";
            ContinueRun();
        });
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

    /// <summary>
    /// The journaled run's row in every journal a node writes to, before any node attaches to it:
    /// made (Record); or, if an earlier coordinator made it and died, kept (Resume: the nodes check
    /// what is stored and write the rest); or, if it died after closing it, checked (Verify).
    /// </summary>
    private bool OpenJournalRun(out PersistenceMode mode)
    {
        mode = PersistenceMode.Record;
        try
        {
            var record = Simulator.RunRecordOf(scenario, FinalOptions, run.RunId);
            var stored = JournalsUsed.Select(uri => (Uri: uri, Row: ReadRun(uri))).ToArray();
            if (stored.All(s => s.Row is { Status: RunStatus.Completed })) mode = PersistenceMode.Verify;
            else if (stored.Any(s => s.Row is not null)) mode = PersistenceMode.Resume;
            foreach (var (uri, row) in stored)
            {
                if (row is not null && row.SettingsJson != record.SettingsJson)
                    throw new JournalException($"{JournalUri.Redact(uri)} already holds a run '{run.RunId}' of other settings; choose another run id");
                if (row is null) WithStore(uri, store => store.CreateRun(record));
            }
            return true;
        }
        catch (Exception e) when (e is JournalException or System.Data.Common.DbException)
        {
            Fail(e.Message);
            return false;
        }

        RunRecord? ReadRun(string uri)
        {
            RunRecord? row = null;
            WithStore(uri, store => row = store.ReadRun(run.RunId));
            return row;
        }
    }

    /// <summary>Without a journal, the report is the first run's with the verdicts.</summary>
    private void AnswerWithoutJournal()
    {
        var needless = Needless.ToHashSet();
        var report = ReportWire.FromMessage(first!.Report);
        var migrations = report.Migrations.Select(m => needless.Contains(m.Index) ? m with { Outcome = Outcome.NeedlessVeto } : m).ToArray();
        var final = SimulationRun.Restamp(report with { Migrations = migrations, Summary = RunSummary.Of(migrations), CounterfactualRuns = counterfactuals.Count },
            scenario.Scenario);
        Answer(new RunDone { Report = ReportWire.ToMessage(final), Windows = first.Windows, CrossNodeMessages = first.CrossNodeMessages });
    }

    private void Fail(string message) => Answer(new RunFailed { Message = message });

    /// <summary>Journals the answer, sends it, and forgets the run's other events (the answer stays, for a resent request).</summary>
    private void Answer(Google.Protobuf.IMessage answer)
    {
        Timers.Cancel("step");
        Timers.Cancel("progress");
        Timers.Cancel("check-nodes");
        execution = "";
        var answered = answer is RunDone done ? new CoordinatorRunAnswered { Done = done } : new CoordinatorRunAnswered { Failed = (RunFailed)answer };
        Persist(answered, a =>
        {
            Apply(a);
            requester.Tell(lastAnswer);
            if (LastSequenceNr > 1) DeleteMessages(LastSequenceNr - 1);
            Become(Idle);
        });
    }

    // ---- Faults ----------------------------------------------------------------------------------

    /// <summary>Abandons the execution in progress and waits until every node of the config is up again.</summary>
    private void Interrupt(string why)
    {
        Timers.Cancel("step");
        execution = "";
        interruption = why;
        requester.Tell(Progress($"{why}; waiting for every node to be up, then executing stage {Math.Max(stage, 1)} again"));
        Become(WaitingForNodes);
        Timers.StartPeriodicTimer("progress", new Tick(), ProgressInterval);
        Timers.StartPeriodicTimer("check-nodes", new CheckNodes(), TimeSpan.FromMilliseconds(500));
        Timers.StartSingleTimer("rejoin", new RejoinTimedOut(why), RejoinTimeout);
        ResumeIfEveryNodeIsUp();
    }

    private void ResumeIfEveryNodeIsUp()
    {
        if (MissingNodes().Any()) return;
        Timers.Cancel("rejoin");
        requester.Tell(Progress($"every node is up again; executing stage {Math.Max(stage, 1)} again from its start"));
        ContinueRun();
    }

    /// <summary>The config's nodes that are not up and reachable members of the cluster now.</summary>
    private IEnumerable<string> MissingNodes()
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var up = state.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(NodeHost.Role) && !unreachable.Contains(m.Address))
            .Select(m => (m.Address.Host, m.Address.Port)).ToHashSet();
        return config.Nodes.Where(n => !up.Contains((n.Hostname, n.Port))).Select(n => n.Name);
    }

    /// <summary>
    /// A new execution id, and the members it runs on: the unreachable or removed member of a node
    /// that was started again since (an earlier incarnation at the same address) no longer interrupts.
    /// </summary>
    private void NewExecution()
    {
        execution = $"{Self.Path.Uid:x}-{++executionCount}";
        incarnations = cluster.State.Members.Select(m => m.UniqueAddress).ToHashSet();
    }

    private HashSet<UniqueAddress> incarnations = [];

    private bool HoldsPart(ClusterMember member) =>
        member.HasRole(NodeHost.Role) && incarnations.Contains(member.UniqueAddress) && config.NodeAt(member.Address.Host, member.Address.Port) is { } node
                                      && nodeOfHost.Contains(config.Nodes.ToList().IndexOf(node));

    private string NameOf(ClusterMember member) => NodeName(member.Address);

    private string NodeName(Address address) => config.NodeAt(address.Host, address.Port)?.Name ?? address.ToString();

    private void ExpectAnswers() => Timers.StartSingleTimer("step", new StepTimedOut(execution, window), StepTimeout);

    private static long Min(long? a, long b) => a is { } x && x < b ? x : b;
}
