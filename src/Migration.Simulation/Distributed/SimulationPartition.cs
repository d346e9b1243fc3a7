using Migration.Actors;
using Migration.Actors.Dispatch;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Scenarios.Model;
using Migration.Simulation.Running;
using Migration.Simulation.Wire;
using Migration.Simulation.World;

namespace Migration.Simulation.Distributed;

/// <summary>
/// The hosts of one run that one process runs: the run's whole actor system (every host's actors
/// exist, but only these hosts' event loops ever run), advanced a window at a time by a coordinator.
/// What the window sent to another partition's hosts leaves as <see cref="WireEnvelope"/>s, values
/// only; what arrives is decoded and injected. The engine's windowed mode with its hosts spread over
/// processes: the same windows, the same order, the same answer.
/// </summary>
public sealed class SimulationPartition
{
    private readonly HostScheduler[] schedulers;
    private readonly HashSet<int> owned;
    private readonly WireCodec codec;

    /// <param name="journal">
    /// Where this partition's hosts' events go, in a run another process created
    /// (<see cref="PersistenceSettings.SharedRun"/>), or null for none. With Resume, a run stopped
    /// part-way is executed again: the stored events checked, the rest written.
    /// </param>
    public SimulationPartition(Scenario scenario, RunOptions options, IReadOnlyCollection<int> hosts,
        (IJournalStore Store, string RunId, PersistenceMode Mode)? journal = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0) throw new ArgumentException("a partition runs at least one host", nameof(hosts));
        if (hosts.Any(h => h < 0 || h >= scenario.Hosts.Count)) throw new ArgumentOutOfRangeException(nameof(hosts), $"the scenario has hosts 0 to {scenario.Hosts.Count - 1}");
        Scenario = scenario;
        Options = options with { Mode = ExecutionMode.Windowed };
        owned = hosts.ToHashSet();
        Hosts = owned.Order().ToArray();
        System = SimulationRun.CreateSystem(scenario, Options);
        if (journal is { } j)
        {
            Journal = PersistenceExtension.Attach(System, j.Store, SimulationSerializer.Create(),
                new PersistenceSettings { RunId = j.RunId, Mode = j.Mode, SharedRun = true });
        }
        World = SimulationRun.Populate(System, scenario, Options);
        schedulers = Hosts.Select(h => System.Schedulers[h]).ToArray();
        codec = new WireCodec(System, scenario);
    }

    public Scenario Scenario { get; }

    /// <summary>The journal this partition writes its hosts' events to, or null.</summary>
    public PersistenceExtension? Journal { get; }
    public RunOptions Options { get; }
    public ActorSystem System { get; }
    public SimulationWorld World { get; }

    /// <summary>The hosts this partition runs, ascending.</summary>
    public IReadOnlyList<int> Hosts { get; }

    /// <summary>The lookahead: every message between hosts takes at least this long.</summary>
    public long LookaheadTicks => Scenario.Network.Latency.Ticks;

    /// <summary>The time of this partition's next pending event, or null.</summary>
    public long? NextEventTicks
    {
        get
        {
            long? earliest = null;
            foreach (var scheduler in schedulers)
            {
                if (scheduler.NextEventTicks is { } t && (earliest is null || t < earliest)) earliest = t;
            }
            return earliest;
        }
    }

    /// <summary>
    /// Delivers every event of this partition's hosts before <paramref name="exclusiveEndTicks"/>, then
    /// moves what they sent to one another here, and returns what they sent to other partitions' hosts.
    /// </summary>
    public IReadOnlyList<WireEnvelope> RunWindow(long exclusiveEndTicks, long eventsMax = long.MaxValue)
    {
        foreach (var scheduler in schedulers)
        {
            scheduler.RunWindow(exclusiveEndTicks, eventsMax);
            if (scheduler.BoundTicks < exclusiveEndTicks)
                throw new InvalidOperationException($"seed {Options.Seed}: host {scheduler.Host} stopped at its event limit in the window ending {new TimeSpan(exclusiveEndTicks)}");
        }
        var leaving = new List<WireEnvelope>();
        foreach (var scheduler in schedulers)
        {
            foreach (var envelope in scheduler.TakeOutbox())
            {
                var to = envelope.Target.HostOf();
                if (owned.Contains(to)) System.Schedulers[to].Inject(envelope);
                else leaving.Add(codec.Encode(envelope));
            }
        }
        return leaving;
    }

    /// <summary>Takes in envelopes another partition's window sent to this partition's hosts.</summary>
    public void Inject(IEnumerable<WireEnvelope> arriving)
    {
        ArgumentNullException.ThrowIfNull(arriving);
        foreach (var wire in arriving)
        {
            var envelope = codec.Decode(wire);
            var host = envelope.Target.HostOf();
            if (!owned.Contains(host)) throw new InvalidDataException($"an envelope for host {host} reached the partition of hosts {string.Join(", ", Hosts)}");
            System.Schedulers[host].Inject(envelope);
        }
    }

    /// <summary>
    /// Every event before <paramref name="boundaryTicks"/> has been delivered, on every partition: the
    /// journal commits that window of virtual time (as a run in one process does at each boundary).
    /// </summary>
    public void Commit(long boundaryTicks)
    {
        foreach (var scheduler in schedulers) scheduler.AdvanceTo(boundaryTicks);
        Journal?.OnBoundary(boundaryTicks);
    }

    /// <summary>
    /// Moves virtual time to the end of the run (where a run in one process ends) and commits what is
    /// left. A resumed run that persisted an event other than the stored one fails here.
    /// </summary>
    public void Finish(long untilTicks)
    {
        foreach (var scheduler in schedulers) scheduler.AdvanceTo(untilTicks);
        if (Journal is null) return;
        Journal.CommitRest();
        if (Journal.Divergences.Count > 0)
            throw new JournalException($"hosts {string.Join(", ", Hosts)} diverged from the journal's run '{Journal.Settings.RunId}' " +
                                       $"({Journal.Divergences.Count} events), first: {Journal.Divergences[0].Message}");
    }

    public PartitionResult Result() => new(
        Hosts,
        World.Results.ToArray(),
        World.Refusals().Where(r => owned.Contains(r.Host)).ToArray(),
        World.Findings().Where(f => owned.Contains(f.Host)).ToArray(),
        World.OracleDigest,
        Hosts.Select(System.DigestOf).ToArray(),
        World.LastEndTicks,
        System.ErrorCount);
}
