namespace Migration.Actors;

/// <summary>How a system is run. Every value is checked by <see cref="Validate"/>.</summary>
public sealed record ActorSystemSettings
{
    /// <summary>The run's seed: every actor's random generator is derived from it and its path.</summary>
    public ulong Seed { get; init; }

    /// <summary>How many simulated hosts the actors are spread over. Default 1.</summary>
    public int HostCount { get; init; } = 1;

    /// <summary>
    /// The minimum latency of a message between hosts (the lookahead of the windowed execution).
    /// Must be positive when there is more than one host. Default 50 microseconds.
    /// </summary>
    public TimeSpan CrossHostLatency { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>Sequential (one event loop for every host) or windowed (one per host, exchanging messages per window).</summary>
    public ExecutionMode Mode { get; init; } = ExecutionMode.Sequential;

    /// <summary>Wall-clock pacing as a multiple of real time (1.0 = real time); null runs as fast as possible.</summary>
    public double? Pacing { get; init; }

    /// <summary>
    /// The most events one scheduler may hold pending (40 bytes each), checked when the queue's storage
    /// grows, so a limit that is not a power of two may be overshot by up to its next power of two.
    /// Default 16 million.
    /// </summary>
    public long EventQueueLengthMax { get; init; } = 16 * 1024 * 1024;

    /// <summary>The most messages an actor may hold while suspended or behind unstashed ones. Default 1 million.</summary>
    public int MailboxLengthMax { get; init; } = 1_000_000;

    /// <summary>The most messages an actor may stash. Default 1 million.</summary>
    public int StashLengthMax { get; init; } = 1_000_000;

    /// <summary>The most active timers one actor may hold. Default 1 million.</summary>
    public int TimersPerActorMax { get; init; } = 1_000_000;

    public void Validate()
    {
        if (HostCount < 1) throw new ArgumentOutOfRangeException(nameof(HostCount), HostCount, "at least one host");
        if (HostCount > 65_536) throw new ArgumentOutOfRangeException(nameof(HostCount), HostCount, "at most 65,536 hosts");
        if (CrossHostLatency < TimeSpan.Zero || (HostCount > 1 && CrossHostLatency <= TimeSpan.Zero))
            throw new ArgumentOutOfRangeException(nameof(CrossHostLatency), CrossHostLatency, "the cross-host latency must be positive when there are several hosts");
        if (Pacing is { } pacing && (!(pacing > 0) || double.IsInfinity(pacing)))
            throw new ArgumentOutOfRangeException(nameof(Pacing), pacing, "pacing must be a positive, finite multiple of real time");
        if (EventQueueLengthMax < 1) throw new ArgumentOutOfRangeException(nameof(EventQueueLengthMax), EventQueueLengthMax, "must be positive");
        if (MailboxLengthMax < 1) throw new ArgumentOutOfRangeException(nameof(MailboxLengthMax), MailboxLengthMax, "must be positive");
        if (StashLengthMax < 1) throw new ArgumentOutOfRangeException(nameof(StashLengthMax), StashLengthMax, "must be positive");
        if (TimersPerActorMax < 1) throw new ArgumentOutOfRangeException(nameof(TimersPerActorMax), TimersPerActorMax, "must be positive");
    }
}
