using Migration.Actors.Util;

namespace Migration.Actors;

/// <summary>What an actor sees of the engine while it handles a message.</summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>The sender of the message being handled, or this host's dead-letters ref when it had none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    ActorSystem System { get; }

    /// <summary>Virtual now.</summary>
    TimeSpan Now { get; }

    /// <summary>This actor's generator, derived from the run's seed and its path; kept across restarts.</summary>
    DeterministicRandom Random { get; }

    /// <summary>The live children, in the order they were created.</summary>
    IReadOnlyList<IActorRef> Children { get; }

    IActorRef? Child(string name);

    /// <summary>Creates a child on this actor's host; it is constructed when its Create event is delivered, now.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child, or this actor (after the current message).</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> to this actor when <paramref name="subject"/> stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef subject);

    IActorRef Unwatch(IActorRef subject);

    /// <summary>Sends <paramref name="message"/> after <paramref name="delay"/> of virtual time (plus the cross-host latency for another host).</summary>
    void ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);
}
