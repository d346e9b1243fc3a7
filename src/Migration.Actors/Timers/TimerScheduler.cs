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

    public void Cancel(object key) => active.Remove(key);

    public void CancelAll() => active.Clear();

    /// <summary>The message to deliver for a fired timer, or null if the timer was cancelled or replaced.</summary>
    public object? Accept(TimerEntry fired)
    {
        if (!active.TryGetValue(fired.Key, out var entry) || !ReferenceEquals(entry, fired)) return null;
        if (entry.IntervalTicks > 0) owner.Post(entry, null, EnvelopeKind.Timer, entry.IntervalTicks);
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
        active[key] = entry;
        owner.Post(entry, null, EnvelopeKind.Timer, delay.Ticks);
    }
}
