namespace Migration.Xen.Iommu;

/// <summary>
/// The IOMMU's fault messages, rate limited as Xen's <c>printk_ratelimit()</c> does (a burst of 10
/// messages per 5 s; the rest are dropped and only counted), so a device that keeps faulting makes a
/// storm that is visible as a count without flooding the log.
/// </summary>
public sealed class FaultLog
{
    /// <summary><c>printk_ratelimit_burst</c>.</summary>
    public const int BurstMax = 10;

    /// <summary><c>printk_ratelimit_ms</c>.</summary>
    public static readonly long WindowTicks = TimeSpan.FromSeconds(5).Ticks;

    private long windowStartTicks = long.MinValue;
    private int inWindow;

    /// <summary>Faults seen.</summary>
    public long Faults { get; private set; }

    /// <summary>Fault messages logged.</summary>
    public long Logged { get; private set; }

    /// <summary>Fault messages the rate limit dropped.</summary>
    public long Suppressed => Faults - Logged;

    /// <summary>Counts a fault at <paramref name="nowTicks"/>; whether its message is logged.</summary>
    public bool Record(long nowTicks)
    {
        Faults++;
        if (windowStartTicks == long.MinValue || nowTicks - windowStartTicks >= WindowTicks)
        {
            windowStartTicks = nowTicks;
            inWindow = 0;
        }
        if (inWindow >= BurstMax) return false;
        inWindow++;
        Logged++;
        return true;
    }
}
