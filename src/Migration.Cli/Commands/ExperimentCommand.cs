using System.CommandLine;
using Migration.Cli.Arguments;
using Migration.Cli.Experiments;
using Migration.Cli.Output;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Policies;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration experiment [--scenario NAME|FILE] [--policies all|A,B] [--seeds LIST] [--toolstack NAME]
/// [--precopy NAME] [--iotlb-mode MODE | --iotlb-modes A,B] [--flush DURATION] [--out DIR] [--journal URI] [--no-journal]`:
/// every policy under every seed (and invalidation mode), totals per policy (and mode) on stdout, every migration in experiment.csv and experiment.json.
/// </summary>
internal static class ExperimentCommand
{
    public const string Name = "experiment";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = SimulationOptions.Scenario();
        var policies = SimulationOptions.Policies();
        var seeds = SimulationOptions.Seeds();
        var toolstack = SimulationOptions.Toolstack();
        var preCopy = SimulationOptions.PreCopy();
        var outDirectory = new Option<string?>("--out")
        {
            Description = "Where to write experiment.csv and experiment.json. Default runs/experiments/SCENARIO-yyyyMMdd-HHmmss (in the current directory).",
            HelpName = "DIR",
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "How many runs at once, each in a worker process of its own. Default: every core of the machine. The output is the same whatever the number.",
            HelpName = "N",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--parallel must be at least 1");
        });
        var cluster = new Option<string?>("--cluster")
        {
            Description = "Spread the runs over the nodes of this cluster config (a run whole on one node at a time): a cluster of it already running is used (its nodes stay up), else its node processes are started here as `cluster up` starts them and leave at the end. The output is the same as on one core.",
            HelpName = "FILE",
        };
        var command = new Command(Name, "Run a scenario under every policy and seed; print totals per policy and write every migration to CSV and JSON.")
        {
            scenario, policies, seeds, toolstack, preCopy, outDirectory, parallel, cluster,
        };
        var invalidation = new ModeOptions(command, varyModes: true);
        var journal = JournalOptions.ForWriting(command);
        command.SetAction(parse =>
        {
            var source = ScenarioSource.Load(parse.GetValue(scenario)!);
            var shared = invalidation.Apply(parse, new RunOptions { Toolstack = parse.GetValue(toolstack), PreCopy = parse.GetValue(preCopy) });
            var plan = new ExperimentPlan(source, parse.GetValue(policies) ?? Enum.GetValues<VetoPolicy>(), parse.GetValue(seeds) ?? SimulationOptions.DefaultSeedList, shared)
            {
                Modes = parse.GetValue(invalidation.Modes!),
            };
            var directory = CreateDirectory(parse.GetValue(outDirectory) ?? ExperimentFiles.DefaultDirectory(source.Scenario.Name, DateTimeOffset.UtcNow));
            // A bad cluster config is bad input before any journal row or process is made.
            var settings = parse.GetValue(cluster) is { } clusterFile ? Migration.Cluster.Configuration.ClusterConfig.Load(clusterFile) : null;
            var scenarioName = parse.GetValue(scenario)!;
            var builtIn = ScenarioSource.IsBuiltIn(scenarioName);
            using var store = journal.OpenForWriting(parse);
            // Run ids are given out here, in plan order, so that they do not depend on which run ends first.
            var runIds = store is null ? null : RunIds.NewBatch(store, plan.Runs().Select(o => (source.Scenario.Name, Names.Of(o.Policy), o.Seed)).ToArray());
            var journalUri = store is null ? null : journal.UriForWriting(parse);
            IReadOnlyList<RunReport> reports;
            if (settings is not null)
            {
                reports = OnCluster(settings, plan, source, scenarioName, builtIn, journalUri, runIds, error);
            }
            else
            {
                var workers = Math.Min(parse.GetValue(parallel), plan.RunCount);
                var modes = plan.Modes is { } varied ? $"{varied.Count} invalidation modes x " : "";
                error.WriteLine($"experiment: {source.Scenario.Name}: {modes}{plan.Policies.Count} policies x {plan.Seeds.Count} seeds = {plan.RunCount} runs, {workers} at a time");
                if (workers == 1)
                {
                    reports = ExperimentProgress.Run(plan, 1, (_, index, options) => Simulator.Run(source, options, store, runIds?[index]), error);
                }
                else
                {
                    // This process runs on one core, a worker process on each of the others; each worker
                    // writes the journal through a connection of its own.
                    using var pool = new WorkerPool(workers - 1, source, scenarioName, builtIn, journalUri);
                    reports = ExperimentProgress.Run(plan, workers, (worker, index, options) => worker == 0
                        ? Simulator.Run(source, options, store, runIds?[index])
                        : pool.Run(worker - 1, index, options, runIds?[index]), error);
                }
            }
            WriteResults(output, error, directory, plan, reports, store);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The plan's runs spread over a cluster's nodes, one at a time per node, each run whole in a
    /// node process; reports come back in plan order, so the files are those of one core.
    /// </summary>
    internal static IReadOnlyList<RunReport> OnCluster(Migration.Cluster.Configuration.ClusterConfig settings, ExperimentPlan plan, ScenarioText source,
        string scenarioName, bool builtIn, string? journalUri, IReadOnlyList<string>? runIds, TextWriter error)
    {
        error.WriteLine($"experiment: {source.Scenario.Name}: {plan.RunCount} runs on the {settings.Nodes.Count} nodes of {settings.ConfigPath}, one at a time on each");
        using var launcher = new Migration.Cluster.Launch.ClusterLauncher(settings,
            Migration.Cluster.Launch.NodeProcess.Program(typeof(ExperimentCommand).Assembly.Location), error);
        launcher.EnsureSecret();
        try
        {
            launcher.StartNodes();
            using var session = new Migration.Cluster.Launch.RunSession(settings);
            return OnNodes(session, settings.Nodes.Count, plan, source, scenarioName, builtIn, journalUri, runIds, error);
        }
        finally
        {
            launcher.StopNodes(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The plan's runs on the <paramref name="nodes"/> nodes of a running cluster, one at a time on each.</summary>
    internal static IReadOnlyList<RunReport> OnNodes(Migration.Cluster.Launch.RunSession session, int nodes, ExperimentPlan plan, ScenarioText source,
        string scenarioName, bool builtIn, string? journalUri, IReadOnlyList<string>? runIds, TextWriter error)
    {
        // The nodes open the journal themselves: a relative SQLite path means this directory's file.
        var absolute = journalUri is null ? null : JournalUri.Absolute(journalUri);
        return ExperimentProgress.Run(plan, Math.Min(nodes, plan.RunCount), (worker, index, options) =>
        {
            var start = Migration.Cluster.Runs.RunWire.Start(source, scenarioName, builtIn, options);
            if (absolute is not null)
            {
                start.JournalUri = absolute;
                start.RunId = runIds![index];
            }
            return ReportWire.FromMessage(session.RunAlone(worker, start, TimeSpan.FromHours(1)).Report);
        }, error);
    }

    private static void WriteResults(TextWriter output, TextWriter error, string directory, ExperimentPlan plan, IReadOnlyList<RunReport> reports, IJournalStore? store)
    {
        WriteTotals(output, reports);
        var csv = Path.Combine(directory, ExperimentFiles.CsvName);
        var json = Path.Combine(directory, ExperimentFiles.JsonName);
        ExperimentFiles.WriteCsv(csv, reports);
        ExperimentFiles.WriteJson(json, plan, reports);
        error.WriteLine($"experiment: wrote {csv} and {json}");
        if (store is not null)
            error.WriteLine($"experiment: journaled {reports.Count} runs in {store.DisplayUri}; list them with: migration runs{JournalOptions.ArgumentFor(store)}");
    }

    private static string CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new BadInputException($"--out {path}: cannot create the directory: {e.Message}", e);
        }
    }

    private static void WriteTotals(TextWriter output, IReadOnlyList<RunReport> reports)
    {
        // The invalidation columns only where a run had ATS devices or a named mode: other experiments print as before.
        var flushes = reports.Any(r => r.Invalidation is not null);
        var table = new TextTable();
        if (flushes) table.Column("iotlb mode");
        table.Column("policy").Column("migrations", numeric: true).Column("completed", numeric: true).Column("corrupted", numeric: true)
            .Column("faulted", numeric: true).Column("vetoed", numeric: true).Column("needless vetoes", numeric: true)
            .Column("aborted", numeric: true).Column("failed", numeric: true)
            .Column("mean downtime ms", numeric: true).Column("mean total ms", numeric: true);
        // The oracle's findings only where the runs had altp2m or sharing events, or found something.
        var sharing = reports.Any(r => r.Altp2m is not null || r.Findings.Count > 0);
        if (sharing) table.Column("oracle findings", numeric: true);
        if (flushes)
        {
            table.Column("crashed", numeric: true).Column("devices broken", numeric: true).Column("security violations", numeric: true)
                .Column("CPU spun ms", numeric: true).Column("vCPU blocked ms", numeric: true);
        }
        foreach (var totals in PolicyTotals.Of(reports))
        {
            var s = totals.Summary;
            var f = totals.Flushes;
            string[] cells =
            [
                totals.Policy, MigrationTable.Count(s.Migrations), MigrationTable.Count(s.Completed), MigrationTable.Count(s.Corrupted),
                MigrationTable.Count(s.Faulted), MigrationTable.Count(s.Vetoed), MigrationTable.Count(s.NeedlessVetoes),
                MigrationTable.Count(s.Aborted), MigrationTable.Count(s.Failed),
                MigrationTable.Milliseconds(s.MeanDowntimeMs), MigrationTable.Milliseconds(s.MeanTotalMs),
            ];
            if (sharing) cells = [.. cells, MigrationTable.Count(totals.Findings)];
            if (flushes)
            {
                cells = [totals.Invalidation ?? "-", .. cells, MigrationTable.Count(f.DomainsCrashed), MigrationTable.Count(f.DevicesBroken),
                    MigrationTable.Count(f.SecurityViolations), MigrationTable.Milliseconds(f.CpuSpunMs), MigrationTable.Milliseconds(f.VcpusBlockedMs)];
            }
            table.Row(cells);
        }
        table.Write(output);
    }
}
