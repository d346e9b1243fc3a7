using Migration.Actors;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Scenarios.Model;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Simulation.Wire;

namespace Migration.Simulation.Distributed;

/// <summary>
/// The coordinator's side of a run spread over partitions: conservative windows of one lookahead from
/// the earliest pending event anywhere (empty stretches skipped), each partition running its hosts
/// through the window on its own, then every envelope that crossed partitions handed to the one that
/// runs its target; at the end, the partitions' results summed into one report. <see cref="Execute"/>
/// does it for partitions in this process, each envelope going through its wire form; the cluster
/// does the same over Akka.Remote.
/// </summary>
public static class PartitionedRun
{
    /// <summary>One run, its hosts split over partitions in this process as <paramref name="hostsByPartition"/> says.</summary>
    /// <param name="journal">
    /// The journal, with the run's row already there (<see cref="Simulator.RunRecordOf"/>), each
    /// partition writing its hosts' events (Record) or checking them and writing the rest (Resume,
    /// after a run stopped part-way); or null. The caller closes the run's row.
    /// </param>
    public static RunReport Execute(Scenario scenario, RunOptions options, IReadOnlyList<IReadOnlyCollection<int>> hostsByPartition, out long windows,
        (IJournalStore Store, string RunId, PersistenceMode Mode)? journal = null)
    {
        ArgumentNullException.ThrowIfNull(hostsByPartition);
        var partitions = hostsByPartition
            .Select(hosts => new SimulationPartition(scenario, options, hosts, journal))
            .ToArray();
        var partitionOf = new int[scenario.Hosts.Count];
        Array.Fill(partitionOf, -1);
        for (var p = 0; p < partitions.Length; p++)
        {
            foreach (var host in partitions[p].Hosts)
            {
                if (partitionOf[host] >= 0) throw new ArgumentException($"host {host} is in two partitions", nameof(hostsByPartition));
                partitionOf[host] = p;
            }
        }
        if (partitionOf.Contains(-1)) throw new ArgumentException($"host {Array.IndexOf(partitionOf, -1)} is in no partition", nameof(hostsByPartition));
        var horizon = SimulationRun.Horizon(scenario).Ticks;
        var planner = new WindowPlanner(scenario.Network.Latency.Ticks, horizon, journal is null ? 0 : CommitInterval.Ticks);
        windows = 0;
        while (true)
        {
            var (commit, windowEnd) = planner.Next(partitions.Min(p => p.NextEventTicks));
            if (commit is { } boundary)
            {
                foreach (var partition in partitions) partition.Commit(boundary);
            }
            if (windowEnd is not { } end) break;
            windows++;
            var crossing = partitions.SelectMany(p => p.RunWindow(end)).ToArray();
            foreach (var group in crossing.GroupBy(w => partitionOf[HostOfTarget(w)]))
            {
                // Through bytes, as between processes: nothing of one partition reaches another by reference.
                partitions[group.Key].Inject(group.Select(w => WireEnvelope.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(w))));
            }
        }
        foreach (var partition in partitions) partition.Finish(horizon);
        return Assemble(scenario, options, partitions.Select(p => p.Result()).ToArray(), journal?.RunId, counterfactuals: 0);
    }

    /// <summary>The journal's window of virtual time in a run spread over partitions: the default of a run in one process.</summary>
    public static TimeSpan CommitInterval { get; } = new PersistenceSettings { RunId = "x" }.CommitInterval;

    /// <summary>The run's report from what each partition reports.</summary>
    public static RunReport Assemble(Scenario scenario, RunOptions options, IReadOnlyList<PartitionResult> parts, string? runId, int counterfactuals)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var errors = parts.Sum(p => p.ErrorCount);
        if (errors > 0) throw new InvalidOperationException($"seed {options.Seed}: {errors} actor(s) failed during the run (a bug in the simulation)");
        var digests = new (ulong Digest, long Delivered)[scenario.Hosts.Count];
        foreach (var part in parts)
        {
            for (var i = 0; i < part.Hosts.Count; i++) digests[part.Hosts[i]] = part.Digests[i];
        }
        var results = SimulationRun.Results(scenario, parts.SelectMany(p => p.Results));
        // Each partition lists its hosts' refusals in the order they made them; a stable sort by time and host keeps that order.
        var refusals = parts.SelectMany(p => p.Refusals).OrderBy(r => r.Ticks).ThenBy(r => r.Host).ToArray();
        var findings = parts.SelectMany(p => p.Findings).OrderBy(f => f.Ticks).ThenBy(f => f.Host).ToArray();
        var oracle = parts.Aggregate(0UL, (sum, p) => sum + p.OracleDigest);
        return SimulationRun.Report(scenario, options, results, refusals, findings, parts.Max(p => p.LastEndTicks), ActorSystem.CombineDigests(digests), oracle,
            runId, counterfactuals);
    }

    /// <summary>The host of an envelope's target, from its path (<c>migration://SYSTEM@host-N/...</c>).</summary>
    public static int HostOfTarget(WireEnvelope wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        var at = wire.Target.IndexOf("@host-", StringComparison.Ordinal);
        if (at < 0) throw new InvalidDataException($"'{wire.Target}' is not an actor path");
        var start = at + "@host-".Length;
        var end = wire.Target.IndexOf('/', start);
        var text = end < 0 ? wire.Target[start..] : wire.Target[start..end];
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var host)
            ? host
            : throw new InvalidDataException($"'{wire.Target}' names no host");
    }
}
