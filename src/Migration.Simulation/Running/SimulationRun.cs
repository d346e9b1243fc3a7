using Migration.Actors;
using Migration.Scenarios.Model;
using Migration.Simulation.Actors;
using Migration.Simulation.Reports;
using Migration.Simulation.World;
using Migration.Xen;

namespace Migration.Simulation.Running;

/// <summary>Builds a run's actor system and actors from a scenario, and reads its results.</summary>
public static class SimulationRun
{
    /// <summary>How long after the last scheduled start a run lasts: every migration ends well within it (each step has a timeout).</summary>
    public static TimeSpan HorizonAfterLastStart => RunTiming.AfterLastStart;

    public static ActorSystem CreateSystem(Scenario scenario, RunOptions options)
    {
        BetweenRuns.Shared.RunStarting();
        return ActorSystem.Create("xen", new ActorSystemSettings
        {
            Seed = options.Seed,
            HostCount = scenario.Hosts.Count,
            Mode = options.Mode,
            // Every cross-host message travels the scenario's link: its latency is the engine's lookahead.
            CrossHostLatency = scenario.Network.Latency,
        });
    }

    /// <summary>Creates the IommuUnits, links, the fabric (if limited), toolstacks (which create domains and devices) and the operator.</summary>
    public static SimulationWorld Populate(ActorSystem system, Scenario scenario, RunOptions options)
    {
        var world = new SimulationWorld(scenario, options) { Journaled = Persistence.PersistenceExtension.For(system) is not null };
        system.RegisterExtension(world);
        system.RegisterExtension(new MigrationOracleRegistry());
        for (var host = 0; host < scenario.Hosts.Count; host++)
        {
            var h = host;
            world.Iommus[host] = system.ActorOf(Props.Create(() => new IommuUnitActor(h)), "iommu", host);
            world.Links[host] = system.ActorOf(Props.Create(() => new LinkActor(h)), "link", host);
        }
        if (scenario.Network.Sharing == LinkSharing.Fair && scenario.Network.FabricBytesPerSecond is { } fabric)
            world.Fabric = system.ActorOf(Props.Create(() => new FabricActor(fabric * scenario.Network.Efficiency)), "fabric", FabricActor.Host);
        for (var host = 0; host < scenario.Hosts.Count; host++)
        {
            var h = host;
            var spec = scenario.Hosts[host];
            world.Toolstacks[host] = system.ActorOf(Props.Create(() => new ToolstackActor(h, spec)), "toolstack", host);
        }
        world.Operator = system.ActorOf(Props.Create(() => new OperatorActor()), "operator", 0);
        return world;
    }

    public static TimeSpan Horizon(Scenario scenario) => ScenarioIndex.Of(scenario).LastStart + HorizonAfterLastStart;

    /// <summary>The run's hash (<see cref="Reports.ResultHash"/>): of its report, its execution and its scenario.</summary>
    public static string ResultHash(ActorSystem system, SimulationWorld world) =>
        Report(world.Scenario, world.Options, system, world, runId: null, counterfactuals: 0).ResultHash;

    /// <summary>The report's hash again, after its outcomes were reclassified (needless vetoes found by counterfactual runs).</summary>
    public static RunReport Restamp(RunReport report, Scenario scenario) => Reports.ResultHash.Stamp(report, ScenarioIndex.Of(scenario).Digest);

    /// <summary>The results, with any migration that never ended reported as failed.</summary>
    public static IReadOnlyList<MigrationResult> Results(SimulationWorld world) => Results(world.Scenario, world.Results);

    /// <summary>The verdicts <paramref name="recorded"/> by index, with any migration that never ended reported as failed.</summary>
    public static IReadOnlyList<MigrationResult> Results(Scenario scenario, IEnumerable<MigrationResult> recorded)
    {
        var ended = recorded.ToDictionary(r => r.Index);
        var all = new List<MigrationResult>(scenario.Migrations.Count);
        for (var i = 0; i < scenario.Migrations.Count; i++)
        {
            all.Add(ended.TryGetValue(i, out var result)
                ? result
                : MigrationResult.NotStarted(i, scenario.Migrations[i].Domain, "", scenario.Migrations[i].To, "still in progress when the run ended", 0));
        }
        return all;
    }

    public static RunReport Report(Scenario scenario, RunOptions options, ActorSystem system, SimulationWorld world, string? runId, int counterfactuals) =>
        Report(scenario, options, Results(world), world.Refusals(), world.Findings(), world.LastEndTicks, system.ResultDigest, world.OracleDigest, runId, counterfactuals);

    /// <summary>A run's report from its parts, however many processes ran it.</summary>
    /// <param name="engineDigest">The engine's digest of every delivery (<see cref="ActorSystem.ResultDigest"/>).</param>
    /// <param name="oracleDigest">The oracle's digest of every page set sent and every verdict.</param>
    public static RunReport Report(Scenario scenario, RunOptions options, IReadOnlyList<MigrationResult> results, IReadOnlyList<RefusalRecord> refusals,
        IReadOnlyList<OracleFinding> findings, long lastEndTicks, ulong engineDigest, ulong oracleDigest, string? runId, int counterfactuals)
    {
        var report = new RunReport
        {
            Scenario = scenario.Name,
            Policy = Names.Of(options.Policy),
            Toolstack = options.Toolstack is { } kind ? Names.Of(kind) : "per-host",
            Seed = options.Seed,
            Invalidation = World.SimulationWorld.InvalidationNamed(scenario, options),
            Altp2m = World.SimulationWorld.Altp2mNamed(scenario, options),
            ResultHash = "",
            Migrations = results,
            Refusals = refusals,
            Findings = findings,
            Summary = RunSummary.Of(results),
            VirtualSeconds = lastEndTicks / (double)TimeSpan.TicksPerSecond,
            RunId = runId,
            CounterfactualRuns = counterfactuals,
            // The engine's delivery digest and the oracle's digest of pages and verdicts.
            ExecutionDigest = SplitMix.Mix(engineDigest ^ SplitMix.Mix(oracleDigest)),
        };
        return Reports.ResultHash.Stamp(report, ScenarioIndex.Of(scenario).Digest);
    }
}
