using Migration.Actors;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Simulation.Reports;
using Migration.Xen;
using Migration.Xen.Oracle;

namespace Migration.Simulation.Running;

/// <summary>
/// Runs scenarios. A run whose migrations were vetoed is followed by one counterfactual run per
/// waivable veto (the same seed, that refusal waived): a veto is needless when the migration then
/// completes cleanly; determinism makes the comparison exact. A journaled run is executed last, with
/// the verdicts known, so its journal and report agree.
/// </summary>
public static class Simulator
{
    /// <summary>Counterfactual runs advance in steps of this much virtual time until their migration ends.</summary>
    public static readonly TimeSpan CounterfactualStep = TimeSpan.FromSeconds(10);

    public const long EventsPerRunMax = 2_000_000_000;

    public static RunReport Run(ScenarioText scenario, RunOptions options, IJournalStore? store = null, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var first = Execute(scenario.Scenario, options);
        var needless = new HashSet<int>();
        var counterfactuals = 0;
        foreach (var vetoed in first.Migrations.Where(m => m.Outcome == Outcome.Vetoed && m.Refusal is { Waivable: true }))
        {
            counterfactuals++;
            var outcome = Counterfactual(scenario.Scenario, options, vetoed.Index);
            if (outcome == Outcome.Completed) needless.Add(vetoed.Index);
        }
        var final = options with { Needless = needless };
        if (store is null)
        {
            var migrations = first.Migrations.Select(m => needless.Contains(m.Index) ? m with { Outcome = Outcome.NeedlessVeto } : m).ToArray();
            return SimulationRun.Restamp(first with { Migrations = migrations, Summary = RunSummary.Of(migrations), CounterfactualRuns = counterfactuals }, scenario.Scenario);
        }
        return ExecuteJournaled(scenario, final, store, runId ?? throw new ArgumentNullException(nameof(runId)), counterfactuals);
    }

    /// <summary>One execution without a journal.</summary>
    public static RunReport Execute(Migration.Scenarios.Model.Scenario scenario, RunOptions options)
    {
        var system = SimulationRun.CreateSystem(scenario, options);
        var world = SimulationRun.Populate(system, scenario, options);
        RunToEnd(system, scenario);
        return SimulationRun.Report(scenario, options, system, world, null, 0);
    }

    /// <summary>
    /// How migration <paramref name="index"/> ends when its first waivable refusal is waived: the
    /// counterfactual run that decides whether that veto was needless. Independent of every other run.
    /// </summary>
    public static Outcome Counterfactual(Migration.Scenarios.Model.Scenario scenario, RunOptions options, int index)
    {
        var waived = options with { Waive = new HashSet<int> { index } };
        var system = SimulationRun.CreateSystem(scenario, waived);
        var world = SimulationRun.Populate(system, scenario, waived);
        var horizon = SimulationRun.Horizon(scenario);
        var until = scenario.Migrations[index].At;
        while (!world.Ended(index) && until < horizon)
        {
            until = until + CounterfactualStep < horizon ? until + CounterfactualStep : horizon;
            Check(system.RunUntil(until, EventsPerRunMax), options.Seed);
        }
        return SimulationRun.Results(world)[index].Outcome;
    }

    private static RunReport ExecuteJournaled(ScenarioText scenario, RunOptions options, IJournalStore store, string runId, int counterfactuals)
    {
        var system = SimulationRun.CreateSystem(scenario.Scenario, options);
        var journal = PersistenceExtension.Attach(system, store, SimulationSerializer.Create(), new PersistenceSettings { RunId = runId },
            RunRecordOf(scenario, options, runId));
        var world = SimulationRun.Populate(system, scenario.Scenario, options);
        try
        {
            RunToEnd(system, scenario.Scenario);
        }
        catch
        {
            journal.Complete(RunStatus.Failed, null, DateTimeOffset.UtcNow);
            throw;
        }
        var report = SimulationRun.Report(scenario.Scenario, options, system, world, runId, counterfactuals);
        journal.Complete(RunStatus.Completed, report.ResultHash, DateTimeOffset.UtcNow);
        return report;
    }

    /// <summary>
    /// The journal's row for a run of <paramref name="scenario"/> with <paramref name="options"/> (the
    /// verdicts included): what <c>replay</c> executes again. Wall-clock start: metadata for people.
    /// </summary>
    public static RunRecord RunRecordOf(ScenarioText scenario, RunOptions options, string runId)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var settings = Settings(scenario, options);
        var overrides = (settings.Invalidation is { } mode ? $", iotlb {mode}" : "") + (options.Flush is { } flush ? $", flush {flush.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms" : "") +
                        (settings.Altp2m is { } rules ? $", altp2m {rules}" : "");
        return new RunRecord(runId, $"{scenario.Scenario.Name} under {settings.Policy}{overrides}, seed {options.Seed}", options.Seed, settings.ToJson(),
            PersistenceExtension.EngineVersion, null, DateTimeOffset.UtcNow, null, RunStatus.Running, 0);
    }

    public static RunSettings Settings(ScenarioText scenario, RunOptions options) => new()
    {
        Scenario = scenario.Scenario.Name,
        ScenarioYaml = scenario.Yaml,
        Policy = Names.Of(options.Policy),
        Toolstack = options.Toolstack is { } kind ? Names.Of(kind) : null,
        PreCopy = options.PreCopy is { } preCopy ? Names.Of(preCopy) : null,
        Invalidation = options.Invalidation is { } mode ? Names.Of(mode) : null,
        FlushTicks = options.Flush?.Ticks,
        Altp2m = options.Altp2m is { } rules ? Names.Of(rules) : null,
        Needless = options.Needless.Order().ToArray(),
    };

    /// <summary>
    /// Re-executes a stored run without writing: every event must match the journal and the result
    /// hash must match the stored one. A divergence fails the actor that persisted it (and is
    /// recorded); the run goes on to find the others.
    /// </summary>
    public static VerificationResult Verify(IJournalStore store, string runId) =>
        JournalReplay.Verify(store, runId, new SimulationRunDefinition());

    private static void RunToEnd(ActorSystem system, Migration.Scenarios.Model.Scenario scenario)
    {
        Check(system.RunUntil(SimulationRun.Horizon(scenario), EventsPerRunMax), system.Settings.Seed);
        if (system.ErrorCount > 0)
            throw new InvalidOperationException($"seed {system.Settings.Seed}: {system.ErrorCount} actor(s) failed during the run (a bug in the simulation)");
    }

    private static void Check(RunResult result, ulong seed)
    {
        if (!result.Completed) throw new InvalidOperationException($"seed {seed}: the run stopped at its event limit ({EventsPerRunMax:N0} events)");
    }
}
