using System.Diagnostics;

namespace Migration.Benchmarks;

/// <summary>
/// Times a workload beside its baseline: one warm-up of each, then repetitions that alternate
/// engine and baseline (so both see the same machine), keeping each one's best (the least
/// disturbed by other load).
/// </summary>
internal static class Measure
{
    /// <summary>
    /// Each <c>prepare</c> builds one repetition outside the timed span and returns the part to
    /// time, which returns how many operations it performed.
    /// </summary>
    public static (double PerSecond, double BaselinePerSecond) BestPerSecond(
        long operations, int repetitions, Func<Func<long>> prepare, Func<Func<long>> prepareBaseline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        Time(operations, prepare, "engine warm-up");
        Time(operations, prepareBaseline, "baseline warm-up");
        double best = 0, bestBaseline = 0;
        for (var i = 1; i <= repetitions; i++)
        {
            best = Math.Max(best, Time(operations, prepare, $"engine repetition {i}"));
            bestBaseline = Math.Max(bestBaseline, Time(operations, prepareBaseline, $"baseline repetition {i}"));
        }
        return (best, bestBaseline);
    }

    private static double Time(long operations, Func<Func<long>> prepare, string phase)
    {
        var run = prepare();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var wall = Stopwatch.StartNew();
        var done = run();
        wall.Stop();
        // A benchmark that did less work than it claims would report a false figure: refuse it.
        if (done != operations)
            throw new InvalidOperationException($"benchmark {phase} processed {done} operations, expected {operations}");
        return operations / wall.Elapsed.TotalSeconds;
    }
}
