using Migration.Actors.Timers;

namespace Migration.Actors;

/// <summary>
/// An actor: a thin shell that routes messages to plain logic. Created only through
/// <see cref="ActorSystem.ActorOf"/> or <see cref="IActorContext.ActorOf"/>; a restart builds a new
/// instance from the same <see cref="Props"/>.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell cell;

    protected ActorBase()
    {
        cell = ActorCell.Constructing
            ?? throw new InvalidOperationException($"{GetType().Name} must be created through ActorOf(Props), not with new");
    }

    protected IActorContext Context => cell;

    protected IActorRef Self => cell;

    /// <summary>The sender of the message being handled, or this host's dead-letters ref when it had none.</summary>
    protected IActorRef Sender => cell.CurrentSender;

    protected IStash Stash => cell.Stash;

    protected ITimerScheduler Timers => cell.Timers;

    internal ActorCell Cell => cell;

    /// <summary>Handles <paramref name="message"/>; returns false if no handler matched.</summary>
    protected internal abstract bool Receive(object message);

    /// <summary>
    /// Called for a message no handler matched. An unhandled <see cref="Terminated"/> fails the actor
    /// (a death pact); anything else becomes a dead letter.
    /// </summary>
    protected internal virtual void Unhandled(object message)
    {
        if (message is Terminated terminated) throw new DeathPactException(terminated.ActorRef);
        cell.System.PublishDeadLetter(new DeadLetter(message, Sender, Self, $"unhandled by {GetType().Name} in its current behaviour"));
    }

    /// <summary>How this actor supervises its children; <see cref="Props.WithSupervisorStrategy"/> overrides it.</summary>
    protected internal virtual Supervision.SupervisorStrategy SupervisorStrategy() => Supervision.SupervisorStrategy.Default;

    protected internal virtual void PreStart()
    {
    }

    protected internal virtual void PostStop()
    {
    }

    /// <summary>Before a restart, on the failed instance: by default stops every child, then <see cref="PostStop"/>.</summary>
    protected internal virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children) Context.Stop(child);
        PostStop();
    }

    /// <summary>After a restart, on the new instance: by default <see cref="PreStart"/>.</summary>
    protected internal virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>
    /// How the engine calls <see cref="PreStart"/>, as Akka.NET's AroundPreStart: a base class that must
    /// act after every override of PreStart has run (persistence runs the handlers of what it persisted)
    /// overrides this and calls the base.
    /// </summary>
    protected internal virtual void AroundPreStart() => PreStart();

    /// <summary>How the engine calls <see cref="PostRestart"/>; see <see cref="AroundPreStart"/>.</summary>
    protected internal virtual void AroundPostRestart(Exception reason) => PostRestart(reason);

    /// <summary>Runs once the constructor has returned, before the first message.</summary>
    internal virtual void AfterConstruction()
    {
    }
}
