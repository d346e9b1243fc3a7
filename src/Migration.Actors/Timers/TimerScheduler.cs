using Migration.Actors.Dispatch;

namespace Migration.Actors.Timers;

/// <remarks>
/// Most actors keep one timer at a time (a lease, a pass, a retry), so the first active timer is a
/// field and a dictionary is made only for a second one.
/// </remarks>
internal sealed class TimerScheduler(ActorCell owner, int timersMax) : ITimerScheduler
{
    private TimerEntry? first;                      // an active timer, or null
    private Dictionary<object, TimerEntry>? more;   // the other active timers
    private TimerEntry? spare;   // an entry no pending event refers to, for the next timer

    public int ActiveCount => (first is null ? 0 : 1) + (more?.Count ?? 0);

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, TimeSpan.Zero);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => StartPeriodicTimer(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "a periodic timer needs a positive interval");
        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key) => Find(key) is not null;

    public void Cancel(object key)
    {
        if (Remove(key) is { } entry && Withdraw(entry)) spare = entry;
    }

    public void CancelAll()
    {
        if (first is not null && Withdraw(first)) spare = first;
        first = null;
        if (more is null) return;
        foreach (var entry in more.Values)
        {
            if (Withdraw(entry)) spare = entry;
        }
        more.Clear();
    }

    /// <summary>The message to deliver for a fired timer, or null if the timer was cancelled or replaced.</summary>
    public object? Accept(TimerEntry fired)
    {
        // A timer replaced or cancelled while its event was due now (and so not withdrawable) is stale.
        var entry = Find(fired.Key);
        if (!ReferenceEquals(entry, fired)) return null;
        var message = entry.Message;
        entry.QueueSlot = -1;
        if (entry.IntervalTicks > 0)
        {
            entry.QueueSlot = owner.PostTimer(entry, entry.IntervalTicks);
        }
        else
        {
            // Its event is the one being delivered: nothing refers to the entry any more.
            Remove(entry.Key);
            spare = entry;
        }
        return message;
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        if (delay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "a timer cannot fire in the past");
        var replaced = Find(key);
        if (replaced is null && ActiveCount >= timersMax)
            throw new InvalidOperationException($"actor {owner.Path} has {ActiveCount} active timers, its limit (ActorSystemSettings.TimersPerActorMax)");
        TimerEntry entry;
        if (replaced is not null && Withdraw(replaced))
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
            Put(key, entry, replaced);
        }
        entry.QueueSlot = owner.PostTimer(entry, delay.Ticks);
    }

    private TimerEntry? Find(object key)
    {
        if (first is not null && Equals(first.Key, key)) return first;
        return more is not null && more.TryGetValue(key, out var entry) ? entry : null;
    }

    /// <summary>Makes <paramref name="entry"/> the active timer of <paramref name="key"/>, in place of <paramref name="replaced"/> (its current one, or null).</summary>
    private void Put(object key, TimerEntry entry, TimerEntry? replaced)
    {
        if (replaced is null ? first is null : ReferenceEquals(replaced, first)) first = entry;
        else (more ??= new Dictionary<object, TimerEntry>())[key] = entry;
    }

    private TimerEntry? Remove(object key)
    {
        if (first is not null && Equals(first.Key, key))
        {
            var removed = first;
            first = null;
            return removed;
        }
        return more is not null && more.Remove(key, out var entry) ? entry : null;
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
