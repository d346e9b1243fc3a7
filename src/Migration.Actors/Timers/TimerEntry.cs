namespace Migration.Actors.Timers;

/// <summary>
/// An active timer. The scheduled event carries the entry itself, so a replaced entry is recognised
/// as stale. An entry no pending event refers to (fired, or withdrawn from the queue) is reused by
/// the owner's next timer: a lease renewed every pass costs no allocation.
/// </summary>
internal sealed class TimerEntry(object key, object message, long intervalTicks)
{
    public object Key { get; private set; } = key;

    public object Message { get; private set; } = message;

    /// <summary>Zero for a single timer.</summary>
    public long IntervalTicks { get; private set; } = intervalTicks;

    /// <summary>Where its event waits in the owner's event queue, or -1 (see <see cref="Dispatch.HostScheduler.PostTimer"/>).</summary>
    public int QueueSlot { get; set; } = -1;

    /// <summary>Makes this entry another timer's; only valid when no pending event refers to it.</summary>
    public void Reuse(object key, object message, long intervalTicks)
    {
        Key = key;
        Message = message;
        IntervalTicks = intervalTicks;
        QueueSlot = -1;
    }
}
