using Migration.Cli.Output;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen;
using Spectre.Console;

namespace Migration.Cli.Experiments;

/// <summary>
/// Runs an experiment's plan on <c>workers</c> threads, showing progress on stderr: a bar per policy
/// (and mode) on a terminal; otherwise one line per policy (and mode) once all its seeds are done, in plan order (a line
/// per run would drown the output).
/// </summary>
internal static class ExperimentProgress
{
    public static IReadOnlyList<RunReport> Run(ExperimentPlan plan, int workers, Func<int, int, RunOptions, RunReport> run, TextWriter error)
    {
        if (!Terminal.IsInteractive(error)) return RunQuietly(plan, workers, run, error);
        IReadOnlyList<RunReport> reports = [];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(context =>
        {
            var bars = plan.Groups().Select(name => context.AddTask(name, maxValue: plan.Seeds.Count)).ToArray();
            reports = ExperimentRunner.Run(plan, workers, run, (index, _) => bars[index / plan.Seeds.Count].Increment(1));
        });
        return reports;
    }

    private static IReadOnlyList<RunReport> RunQuietly(ExperimentPlan plan, int workers, Func<int, int, RunOptions, RunReport> run, TextWriter error)
    {
        var finished = new RunReport?[plan.RunCount];
        var policiesSaid = 0;
        return ExperimentRunner.Run(plan, workers, run, (index, report) =>
        {
            finished[index] = report;
            // Say each policy once every run of it and of the policies before it is done: the lines come in plan order.
            while (policiesSaid < plan.GroupCount && Enumerable.Range(policiesSaid * plan.Seeds.Count, plan.Seeds.Count).All(i => finished[i] is not null))
            {
                var totals = PolicyTotals.Of(finished.Skip(policiesSaid * plan.Seeds.Count).Take(plan.Seeds.Count).Select(r => r!).ToArray()).Single();
                var s = totals.Summary;
                var group = totals.Invalidation is { } mode && plan.Modes is not null ? $"{totals.Policy} under {mode}" : totals.Policy;
                error.WriteLine($"experiment: {group} done: {totals.Runs} runs, {s.Migrations} migrations, {s.Completed} completed, " +
                                $"{s.Corrupted} corrupted, {s.Faulted} faulted, {s.Vetoed} vetoed, {s.NeedlessVetoes} needless vetoes");
                policiesSaid++;
            }
        });
    }
}
