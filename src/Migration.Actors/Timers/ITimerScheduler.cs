namespace Migration.Actors.Timers;

/// <summary>
/// Timers on the virtual clock, owned by one actor and cancelled when it restarts or stops. Starting
/// a timer with the key of an active one replaces it; a replaced or cancelled timer never fires.
/// </summary>
public interface ITimerScheduler
{
    void StartSingleTimer(object key, object message, TimeSpan delay);

    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();

    int ActiveCount { get; }
}
