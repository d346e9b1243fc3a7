using Migration.Actors.Dispatch;

namespace Migration.Actors.Timers;

internal sealed class TimerScheduler(ActorCell owner, int timersMax) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> active = new();
    private TimerEntry? spare;   // an entry no pending event refers to, for the next timer

    public int ActiveCount => active.Count;

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, TimeSpan.Zero);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => StartPeriodicTimer(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "a periodic timer needs a positive interval");
        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key) => active.ContainsKey(key);

    public void Cancel(object key)
    {
        if (active.Remove(key, out var entry) && Withdraw(entry)) spare = entry;
    }

    public void CancelAll()
    {
        foreach (var entry in active.Values)
        {
            if (Withdraw(entry)) spare = entry;
        }
        active.Clear();
    }

    /// <summary>The message to deliver for a fired timer, or null if the timer was cancelled or replaced.</summary>
    public object? Accept(TimerEntry fired)
    {
        // A timer replaced or cancelled while its event was due now (and so not withdrawable) is stale.
        if (!active.TryGetValue(fired.Key, out var entry) || !ReferenceEquals(entry, fired)) return null;
        var message = entry.Message;
        entry.QueueSlot = -1;
        if (entry.IntervalTicks > 0)
        {
            entry.QueueSlot = owner.PostTimer(entry, entry.IntervalTicks);
        }
        else
        {
            // Its event is the one being delivered: nothing refers to the entry any more.
            active.Remove(entry.Key);
            spare = entry;
        }
        return message;
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        if (delay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "a timer cannot fire in the past");
        if (!active.ContainsKey(key) && active.Count >= timersMax)
            throw new InvalidOperationException($"actor {owner.Path} has {active.Count} active timers, its limit (ActorSystemSettings.TimersPerActorMax)");
        TimerEntry entry;
        if (active.TryGetValue(key, out var replaced) && Withdraw(replaced))
        {
            // The replaced timer's event is gone, so its entry serves the new one.
            entry = replaced;
            entry.Reuse(key, message, interval.Ticks);
        }
        else
        {
            // A replaced entry whose event could not be withdrawn stays stale; the new timer needs its own.
            entry = spare ?? new TimerEntry(key, message, interval.Ticks);
            if (ReferenceEquals(entry, spare))
            {
                spare = null;
                entry.Reuse(key, message, interval.Ticks);
            }
            active[key] = entry;
        }
        entry.QueueSlot = owner.PostTimer(entry, delay.Ticks);
    }

    /// <summary>
    /// Takes a cancelled or replaced timer's event out of the queue, so it is never delivered: a run
    /// renews some timers every pass, and their stale events would otherwise wait in the heap.
    /// </summary>
    /// <remarks>Returns whether the event was withdrawn, so that nothing pending refers to the entry any more.</remarks>
    private bool Withdraw(TimerEntry entry)
    {
        var withdrawn = owner.WithdrawTimer(entry.QueueSlot, entry);
        entry.QueueSlot = -1;
        return withdrawn;
    }
}
