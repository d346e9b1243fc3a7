namespace Migration.Actors.Supervision;

/// <summary>
/// A child's restarts within the current window of virtual time, for the strategy's restart limit.
/// </summary>
internal sealed class RestartStatistics
{
    private int restartsInWindow;
    private long windowStartTicks;

    /// <summary>
    /// Counts one more restart at <paramref name="nowTicks"/> and says whether it is allowed:
    /// at most <paramref name="restartsMax"/> within <paramref name="window"/> (negative: no limit;
    /// null window: ever).
    /// </summary>
    public bool RequestRestart(int restartsMax, TimeSpan? window, long nowTicks)
    {
        if (restartsMax < 0) return true;
        if (restartsMax == 0) return false;
        if (window is { } w && nowTicks - windowStartTicks > w.Ticks)
        {
            windowStartTicks = nowTicks;
            restartsInWindow = 0;
        }
        restartsInWindow++;
        return restartsInWindow <= restartsMax;
    }
}
