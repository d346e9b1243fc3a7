using System.CommandLine;
using Migration.Cli.Arguments;
using Migration.Cli.Experiments;
using Migration.Cli.Output;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Policies;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration experiment [--scenario NAME|FILE] [--policies all|A,B] [--seeds LIST] [--toolstack NAME]
/// [--precopy NAME] [--out DIR] [--journal URI] [--no-journal]`: every policy under every seed, totals per
/// policy on stdout, every migration in experiment.csv and experiment.json.
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
        var command = new Command(Name, "Run a scenario under every policy and seed; print totals per policy and write every migration to CSV and JSON.")
        {
            scenario, policies, seeds, toolstack, preCopy, outDirectory,
        };
        var journal = JournalOptions.ForWriting(command);
        command.SetAction(parse =>
        {
            var source = ScenarioSource.Load(parse.GetValue(scenario)!);
            var plan = new ExperimentPlan(source, parse.GetValue(policies) ?? Enum.GetValues<VetoPolicy>(), parse.GetValue(seeds) ?? SimulationOptions.DefaultSeedList,
                parse.GetValue(toolstack), parse.GetValue(preCopy));
            var directory = CreateDirectory(parse.GetValue(outDirectory) ?? ExperimentFiles.DefaultDirectory(source.Scenario.Name, DateTimeOffset.UtcNow));
            using var store = journal.OpenForWriting(parse);
            error.WriteLine($"experiment: {source.Scenario.Name}: {plan.Policies.Count} policies x {plan.Seeds.Count} seeds = {plan.RunCount} runs");
            var reports = ExperimentProgress.Run(plan, options =>
            {
                var runId = store is null ? null : RunIds.New(store, source.Scenario.Name, Names.Of(options.Policy), options.Seed);
                return Simulator.Run(source, options, store, runId);
            }, error);
            WriteTotals(output, reports);
            var csv = Path.Combine(directory, ExperimentFiles.CsvName);
            var json = Path.Combine(directory, ExperimentFiles.JsonName);
            ExperimentFiles.WriteCsv(csv, reports);
            ExperimentFiles.WriteJson(json, plan, reports);
            error.WriteLine($"experiment: wrote {csv} and {json}");
            if (store is not null)
                error.WriteLine($"experiment: journaled {reports.Count} runs in {store.DisplayUri}; list them with: migration runs{JournalOptions.ArgumentFor(store)}");
            return ExitCodes.Ok;
        });
        return command;
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
        var table = new TextTable()
            .Column("policy").Column("migrations", numeric: true).Column("completed", numeric: true).Column("corrupted", numeric: true)
            .Column("faulted", numeric: true).Column("vetoed", numeric: true).Column("needless vetoes", numeric: true)
            .Column("aborted", numeric: true).Column("failed", numeric: true)
            .Column("mean downtime ms", numeric: true).Column("mean total ms", numeric: true);
        foreach (var totals in PolicyTotals.Of(reports))
        {
            var s = totals.Summary;
            table.Row(totals.Policy, MigrationTable.Count(s.Migrations), MigrationTable.Count(s.Completed), MigrationTable.Count(s.Corrupted),
                MigrationTable.Count(s.Faulted), MigrationTable.Count(s.Vetoed), MigrationTable.Count(s.NeedlessVetoes),
                MigrationTable.Count(s.Aborted), MigrationTable.Count(s.Failed),
                MigrationTable.Milliseconds(s.MeanDowntimeMs), MigrationTable.Milliseconds(s.MeanTotalMs));
        }
        table.Write(output);
    }
}
