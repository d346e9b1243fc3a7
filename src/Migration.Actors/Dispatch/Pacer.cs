using System.Diagnostics;

namespace Migration.Actors.Dispatch;

/// <summary>
/// Optional wall-clock pacing for watching a run live: virtual time advances at most
/// <see cref="Factor"/> times as fast as real time. It only delays deliveries; it never changes
/// their order, so a paced run has the same result hash as an unpaced one.
/// </summary>
public sealed class Pacer
{
    private readonly Stopwatch wall = new();
    private long virtualStartTicks = -1;

    public Pacer(double factor)
    {
        if (!(factor > 0) || double.IsInfinity(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "pacing must be a positive, finite multiple of real time");
        Factor = factor;
    }

    public double Factor { get; }

    /// <summary>Blocks until the wall clock has caught up with virtual time <paramref name="virtualTicks"/>.</summary>
    public void WaitFor(long virtualTicks)
    {
        if (virtualStartTicks < 0)
        {
            virtualStartTicks = virtualTicks;
            wall.Start();
            return;
        }
        var dueWallTicks = (long)((virtualTicks - virtualStartTicks) / Factor);
        var aheadTicks = dueWallTicks - wall.Elapsed.Ticks;
        if (aheadTicks > TimeSpan.TicksPerMillisecond) Thread.Sleep(new TimeSpan(aheadTicks));
    }
}
