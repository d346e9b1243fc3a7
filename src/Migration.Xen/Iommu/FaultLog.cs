namespace Migration.Xen.Iommu;

/// <summary>
/// The hypervisor's fault messages, rate limited as Xen's <c>printk_ratelimit()</c> does: a token
/// bucket holding up to a burst of 10 messages, each message costing 5 s of tokens, so after a burst
/// at most one message every 5 s (one bucket for the whole hypervisor). The rest are dropped and only
/// counted, so a device that keeps faulting makes a storm seen as a count without flooding the log.
/// </summary>
public sealed class FaultLog
{
    /// <summary><c>printk_ratelimit_burst</c>.</summary>
    public const int BurstMax = 10;

    /// <summary><c>printk_ratelimit_ms</c>: what one message costs.</summary>
    public static readonly long WindowTicks = TimeSpan.FromSeconds(5).Ticks;

    private long tokens = BurstMax * WindowTicks;   // full at first
    private long lastTicks = long.MinValue;

    /// <summary>Faults seen.</summary>
    public long Faults { get; private set; }

    /// <summary>Fault messages logged.</summary>
    public long Logged { get; private set; }

    /// <summary>Fault messages the rate limit dropped.</summary>
    public long Suppressed => Faults - Logged;

    /// <summary>Counts a fault at <paramref name="nowTicks"/>; whether its message is logged.</summary>
    /// <remarks>Time that goes backwards (messages of devices read out of order) adds no tokens.</remarks>
    public bool Record(long nowTicks)
    {
        Faults++;
        if (lastTicks != long.MinValue && nowTicks > lastTicks) tokens = Math.Min(BurstMax * WindowTicks, tokens + (nowTicks - lastTicks));
        lastTicks = Math.Max(lastTicks, nowTicks);
        if (tokens < WindowTicks) return false;
        tokens -= WindowTicks;
        Logged++;
        return true;
    }
}
