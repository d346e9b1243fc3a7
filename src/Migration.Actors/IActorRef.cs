namespace Migration.Actors;

/// <summary>A handle to an actor (or to something that receives like one: an Ask promise, an inbox).</summary>
public interface IActorRef
{
    ActorPath Path { get; }

    /// <summary>
    /// Sends <paramref name="message"/> now, in virtual time; it is delivered after everything
    /// already scheduled for the same instant, or after the cross-host latency if the recipient is
    /// on another host.
    /// </summary>
    void Tell(object message, IActorRef? sender);
}
