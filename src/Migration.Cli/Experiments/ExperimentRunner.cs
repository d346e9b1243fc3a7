using System.Runtime.ExceptionServices;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;

namespace Migration.Cli.Experiments;

/// <summary>
/// Runs an experiment's independent runs on several threads at once, each run whole on one thread,
/// and hands the reports back in the plan's order, so that every output is the same as one thread's.
/// Runs share nothing but read-only scenario data; each worker thread has its own bitmap pool (and,
/// when journaling, its own journal connection).
/// </summary>
internal static class ExperimentRunner
{
    /// <param name="run">Runs the plan's run number <c>index</c> on worker <c>worker</c> (0 to <paramref name="workers"/> - 1).</param>
    /// <param name="done">Called (under a lock, in completion order) with each finished run's plan index and report.</param>
    public static IReadOnlyList<RunReport> Run(ExperimentPlan plan, int workers, Func<int, int, RunOptions, RunReport> run, Action<int, RunReport> done)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var runs = plan.Runs().ToArray();
        var reports = new RunReport[runs.Length];
        var next = -1;
        var gate = new object();
        ExceptionDispatchInfo? failure = null;
        void Work(int worker)
        {
            while (Volatile.Read(ref failure) is null)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= runs.Length) return;
                try
                {
                    reports[index] = run(worker, index, runs[index]);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    return;
                }
                lock (gate) done(index, reports[index]);
            }
        }
        var threads = Enumerable.Range(1, Math.Min(workers, runs.Length) - 1)
            .Select(worker => new Thread(() => Work(worker)) { Name = $"experiment-{worker}", IsBackground = true })
            .ToArray();
        foreach (var thread in threads) thread.Start();
        Work(0);
        foreach (var thread in threads) thread.Join();
        failure?.Throw();
        return reports;
    }
}
