namespace Migration.Actors.Dispatch;

/// <summary>
/// Conservative parallel simulation in one process, through the same hooks a cluster uses: find
/// the earliest pending event over all hosts, let every host run the window of one lookahead from
/// there on its own, then hand each window's cross-host messages to their hosts. Every cross-host
/// message takes at least the lookahead, so none can land inside the window that sent it.
/// </summary>
public static class WindowedRunner
{
    /// <summary>
    /// Runs <paramref name="byHost"/> (indexed by host) until no event at or before
    /// <paramref name="untilTicks"/> is pending, or <paramref name="eventsMax"/> events were delivered.
    /// Returns the number delivered and whether the run completed.
    /// </summary>
    public static (long Delivered, bool Completed) Run(
        IReadOnlyList<HostScheduler> byHost, long lookaheadTicks, long untilTicks, long eventsMax, Pacer? pacer)
    {
        if (lookaheadTicks <= 0) throw new ArgumentOutOfRangeException(nameof(lookaheadTicks), lookaheadTicks, "the lookahead must be positive");
        long delivered = 0;
        while (true)
        {
            var next = EarliestPending(byHost);
            if (next is null || next > untilTicks) return (delivered, true);
            if (delivered >= eventsMax) return (delivered, false);
            pacer?.WaitFor(next.Value);
            var windowEnd = SaturatingAdd(next.Value, lookaheadTicks);
            if (untilTicks < long.MaxValue) windowEnd = Math.Min(windowEnd, untilTicks + 1);
            foreach (var scheduler in byHost)
            {
                delivered += scheduler.RunWindow(windowEnd, eventsMax - delivered);
                if (scheduler.BoundTicks < windowEnd) return (delivered, false);
            }
            Exchange(byHost);
        }
    }

    /// <summary>Moves every host's cross-host messages of the last window into their destination's queue.</summary>
    public static void Exchange(IReadOnlyList<HostScheduler> byHost)
    {
        foreach (var scheduler in byHost)
        {
            foreach (var envelope in scheduler.TakeOutbox()) byHost[envelope.TargetRef.Host].Inject(envelope);
        }
    }

    private static long? EarliestPending(IReadOnlyList<HostScheduler> byHost)
    {
        long? earliest = null;
        foreach (var scheduler in byHost)
        {
            if (scheduler.NextEventTicks is { } t && (earliest is null || t < earliest)) earliest = t;
        }
        return earliest;
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
