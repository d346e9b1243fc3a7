using Migration.Cluster.Wire;
using Migration.Scenarios;
using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Cluster.Runs;

/// <summary>What a run's protocol messages carry, to and from the simulation's own types.</summary>
public static class RunWire
{
    public static StartRun Start(ScenarioText scenario, string scenarioSource, bool builtIn, RunOptions options)
    {
        var start = new StartRun
        {
            ScenarioSource = scenarioSource, ScenarioYaml = scenario.Yaml, BuiltIn = builtIn, Policy = Names.Of(options.Policy),
            Toolstack = options.Toolstack is { } kind ? Names.Of(kind) : "", Precopy = options.PreCopy is { } preCopy ? Names.Of(preCopy) : "", Seed = options.Seed,
            Invalidation = options.InvalidationName, Altp2M = options.Altp2mName,
        };
        if (options.Flush is { } flush) start.FlushTicks = flush.Ticks;
        return start;
    }

    /// <summary>The scenario a <see cref="StartRun"/> names, loaded as `run` loads it.</summary>
    public static ScenarioText ScenarioOf(StartRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var scenario = run.BuiltIn ? ScenarioCatalog.LoadBuiltIn(run.ScenarioSource) : ScenarioLoader.Load(run.ScenarioYaml, run.ScenarioSource);
        return new ScenarioText(scenario, run.ScenarioYaml);
    }

    public static RunOptions OptionsOf(StartRun run, IEnumerable<int>? needless = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!Names.TryParse(run.Policy, out VetoPolicy policy)) throw new InvalidDataException($"unknown policy '{run.Policy}'");
        ToolstackKind? toolstack = null;
        if (run.Toolstack.Length > 0) toolstack = Names.TryParse(run.Toolstack, out ToolstackKind kind) ? kind : throw new InvalidDataException($"unknown toolstack '{run.Toolstack}'");
        PreCopyPolicyKind? preCopy = null;
        if (run.Precopy.Length > 0) preCopy = Names.TryParse(run.Precopy, out PreCopyPolicyKind pre) ? pre : throw new InvalidDataException($"unknown pre-copy policy '{run.Precopy}'");
        return new RunOptions { Policy = policy, Seed = run.Seed, Toolstack = toolstack, PreCopy = preCopy, Needless = (needless ?? []).ToHashSet() }
            .WithOverrides(run.Invalidation, run.HasFlushTicks ? run.FlushTicks : -1, run.Altp2M);
    }

    public static PartitionResultMessage ToMessage(PartitionResult result)
    {
        var message = new PartitionResultMessage
        {
            OracleDigest = result.OracleDigest, LastEndTicks = result.LastEndTicks, ErrorCount = result.ErrorCount,
        };
        message.Hosts.AddRange(result.Hosts);
        message.Results.AddRange(result.Results.Select(ReportWire.ToMessage));
        message.Refusals.AddRange(result.Refusals.Select(ReportWire.ToMessage));
        message.Findings.AddRange(result.Findings.Select(ReportWire.ToMessage));
        message.HostDigests.AddRange(result.Digests.Select(d => d.Digest));
        message.HostDelivered.AddRange(result.Digests.Select(d => d.Delivered));
        return message;
    }

    public static PartitionResult FromMessage(PartitionResultMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.HostDigests.Count != message.Hosts.Count || message.HostDelivered.Count != message.Hosts.Count)
            throw new InvalidDataException($"a partition result of {message.Hosts.Count} hosts with {message.HostDigests.Count} digests");
        return new PartitionResult(message.Hosts.ToArray(), message.Results.Select(ReportWire.FromMessage).ToArray(),
            message.Refusals.Select(ReportWire.FromMessage).ToArray(), message.Findings.Select(ReportWire.FromMessage).ToArray(), message.OracleDigest,
            message.HostDigests.Zip(message.HostDelivered, (d, n) => (d, n)).ToArray(), message.LastEndTicks, message.ErrorCount);
    }
}
