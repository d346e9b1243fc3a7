using Migration.Cli.Output;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen;
using Spectre.Console;

namespace Migration.Cli.Experiments;

/// <summary>
/// Runs an experiment's plan, showing progress on stderr: a bar per policy on a terminal; otherwise
/// one line per policy as its last seed finishes (a line per run would drown the output).
/// </summary>
internal static class ExperimentProgress
{
    public static IReadOnlyList<RunReport> Run(ExperimentPlan plan, Func<RunOptions, RunReport> run, TextWriter error)
    {
        if (!Terminal.IsInteractive(error)) return RunQuietly(plan, run, error);
        var reports = new List<RunReport>(plan.RunCount);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(context =>
        {
            var bars = plan.Policies.Select(p => context.AddTask(Names.Of(p), maxValue: plan.Seeds.Count)).ToArray();
            var runIndex = 0;
            foreach (var options in plan.Runs())
            {
                reports.Add(run(options));
                bars[runIndex++ / plan.Seeds.Count].Increment(1);
            }
        });
        return reports;
    }

    private static IReadOnlyList<RunReport> RunQuietly(ExperimentPlan plan, Func<RunOptions, RunReport> run, TextWriter error)
    {
        var reports = new List<RunReport>(plan.RunCount);
        foreach (var options in plan.Runs())
        {
            reports.Add(run(options));
            if (reports.Count % plan.Seeds.Count != 0) continue;
            var totals = PolicyTotals.Of(reports.TakeLast(plan.Seeds.Count).ToArray()).Single();
            var s = totals.Summary;
            error.WriteLine($"experiment: {totals.Policy} done: {totals.Runs} runs, {s.Migrations} migrations, {s.Completed} completed, " +
                            $"{s.Corrupted} corrupted, {s.Faulted} faulted, {s.Vetoed} vetoed, {s.NeedlessVetoes} needless vetoes");
        }
        return reports;
    }
}
