namespace Migration.Actors.Supervision;

/// <summary>
/// Decides what happens to a failed child. <see cref="OneForOneStrategy"/> applies the directive to
/// the failed child alone, <see cref="AllForOneStrategy"/> to all its siblings too.
/// </summary>
public abstract class SupervisorStrategy
{
    private protected SupervisorStrategy(int restartsMax, TimeSpan? window, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        if (window is { } w && w <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(window), w, "the restart window must be positive, or null for no window");
        RestartsMax = restartsMax;
        Window = window;
        Decider = decider;
    }

    /// <summary>Restarts allowed per child within <see cref="Window"/>; negative for no limit. Past it the child is stopped.</summary>
    public int RestartsMax { get; }

    /// <summary>The window of virtual time the restart limit counts in; null counts forever.</summary>
    public TimeSpan? Window { get; }

    public Func<Exception, Directive> Decider { get; }

    /// <summary>Whether failures are published as <see cref="Error"/> on the event stream. Default true.</summary>
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>Akka.NET's default decider: stop on initialization failure, kill and death pact; otherwise restart.</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>.</summary>
    public static SupervisorStrategy Default { get; } = new OneForOneStrategy(-1, null, DefaultDecider);

    /// <summary>Stops any failing child.</summary>
    public static SupervisorStrategy Stopping { get; } = new OneForOneStrategy(-1, null, static _ => Directive.Stop);

    /// <summary>True when the directive applies to every child, not only the failed one.</summary>
    internal abstract bool AppliesToAllChildren { get; }
}
