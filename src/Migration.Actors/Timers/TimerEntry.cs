namespace Migration.Actors.Timers;

/// <summary>An active timer. The scheduled event carries the entry itself, so a replaced entry is recognised as stale.</summary>
internal sealed class TimerEntry(object key, object message, long intervalTicks)
{
    /// <summary>Where its event waits in the owner's event queue, or -1 (see <see cref="Dispatch.HostScheduler.PostTimer"/>).</summary>
    public int QueueSlot { get; set; } = -1;

    public object Key { get; } = key;

    public object Message { get; } = message;

    /// <summary>Zero for a single timer.</summary>
    public long IntervalTicks { get; } = intervalTicks;
}
