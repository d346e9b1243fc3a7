using Migration.Actors.Dispatch;

namespace Migration.Actors.Timers;

internal sealed class TimerScheduler(ActorCell owner, int timersMax) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> active = new();

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
        if (active.Remove(key, out var entry)) Withdraw(entry);
    }

    public void CancelAll()
    {
        foreach (var entry in active.Values) Withdraw(entry);
        active.Clear();
    }

    /// <summary>The message to deliver for a fired timer, or null if the timer was cancelled or replaced.</summary>
    public object? Accept(TimerEntry fired)
    {
        // A timer replaced or cancelled while its event was due now (and so not withdrawable) is stale.
        if (!active.TryGetValue(fired.Key, out var entry) || !ReferenceEquals(entry, fired)) return null;
        entry.QueueSlot = -1;
        if (entry.IntervalTicks > 0) entry.QueueSlot = owner.PostTimer(entry, entry.IntervalTicks);
        else active.Remove(entry.Key);
        return entry.Message;
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        if (delay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "a timer cannot fire in the past");
        if (!active.ContainsKey(key) && active.Count >= timersMax)
            throw new InvalidOperationException($"actor {owner.Path} has {active.Count} active timers, its limit (ActorSystemSettings.TimersPerActorMax)");
        var entry = new TimerEntry(key, message, interval.Ticks);
        if (active.TryGetValue(key, out var replaced)) Withdraw(replaced);
        active[key] = entry;
        entry.QueueSlot = owner.PostTimer(entry, delay.Ticks);
    }

    /// <summary>
    /// Takes a cancelled or replaced timer's event out of the queue, so it is never delivered: a run
    /// renews some timers every pass, and their stale events would otherwise wait in the heap.
    /// </summary>
    private void Withdraw(TimerEntry entry)
    {
        owner.WithdrawTimer(entry.QueueSlot, entry);
        entry.QueueSlot = -1;
    }
}
