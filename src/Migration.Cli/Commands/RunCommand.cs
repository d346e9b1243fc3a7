using System.CommandLine;
using Migration.Cli.Arguments;
using Migration.Cli.Output;
using Migration.Persistence.Journal;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration run [--scenario NAME|FILE] [--policy NAME] [--toolstack NAME] [--precopy NAME] [--iotlb-mode MODE] [--flush DURATION] [--seed N]
/// [--json] [--journal URI] [--no-journal]`: one run, its migrations as a table (or the JSON report), journaled.
/// </summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = SimulationOptions.Scenario();
        var policy = SimulationOptions.Policy();
        var toolstack = SimulationOptions.Toolstack();
        var preCopy = SimulationOptions.PreCopy();
        var seed = SimulationOptions.Seed();
        var json = new Option<bool>("--json") { Description = "Print only the JSON report on stdout." };
        var command = new Command("run", "Run a scenario once under one veto policy and print how each migration ended.")
        {
            scenario, policy, toolstack, preCopy, seed, json,
        };
        var invalidation = new ModeOptions(command);
        var journal = JournalOptions.ForWriting(command);
        command.SetAction(parse =>
        {
            var source = ScenarioSource.Load(parse.GetValue(scenario)!);
            var options = invalidation.Apply(parse, new RunOptions
            {
                Policy = parse.GetValue(policy) ?? SimulationOptions.DefaultPolicy, Toolstack = parse.GetValue(toolstack), PreCopy = parse.GetValue(preCopy), Seed = parse.GetValue(seed),
            });
            using var store = journal.OpenForWriting(parse);
            var runId = store is null ? null : RunIds.New(store, source.Scenario.Name, Names.Of(options.Policy), options.Seed);
            var report = Simulator.Run(source, options, store, runId);
            if (parse.GetValue(json)) output.WriteLine(ReportJson.Write(report));
            else WriteReport(output, report);
            if (store is not null) SayWhereJournaled(error, store, report.RunId!);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static void SayWhereJournaled(TextWriter error, IJournalStore store, string runId, string command = "run")
    {
        var journal = JournalOptions.ArgumentFor(store);
        error.WriteLine($"{command}: journaled as {runId} in {store.DisplayUri}");
        error.WriteLine($"{command}: replay it with: migration replay{journal} --run {runId} [--verify] [--domain NAME]");
    }

    internal static void WriteReport(TextWriter output, RunReport report)
    {
        output.WriteLine($"{report.Scenario} under {report.Policy}, toolstack {report.Toolstack}, seed {report.Seed}");
        MigrationTable.Write(output, report.Migrations.Select(MigrationRow.Of).ToArray());
        RefusalTable.Write(output, report.Refusals.Select(RefusalRow.Of).ToArray());
        FindingTable.Write(output, report.Findings.Select(f => (f.TimeMs, f.HostName, f.Domain, f.Check, f.Description)).ToArray());
        var s = report.Summary;
        output.WriteLine($"{s.Migrations} migrations: {s.Completed} completed, {s.Corrupted} corrupted, {s.Faulted} faulted, {s.Vetoed} vetoed, " +
                         $"{s.NeedlessVetoes} needless vetoes, {s.Aborted} aborted, {s.Failed} failed");
        output.WriteLine($"result hash: {report.ResultHash}");
        output.WriteLine($"run id: {report.RunId ?? "none (not journaled)"}");
    }
}
