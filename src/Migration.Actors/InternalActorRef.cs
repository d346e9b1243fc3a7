using Migration.Actors.Dispatch;

namespace Migration.Actors;

/// <summary>
/// Everything the scheduler can deliver to: actor cells, Ask promises, inboxes. Holds the host
/// and the stable path hash so the hot path reads fields, not virtual properties.
/// </summary>
public abstract class InternalActorRef : IActorRef
{
    private protected InternalActorRef(ActorSystem system, ActorPath path)
    {
        System = system;
        Path = path;
        Host = path.Host;
        PathHash = path.StableHash;
    }

    public ActorPath Path { get; }

    public ActorSystem System { get; }

    internal int Host { get; }

    internal ulong PathHash { get; }

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.SchedulerForSend(Host).Post(this, message, sender, EnvelopeKind.User, 0);
    }

    internal void Post(object message, IActorRef? sender, EnvelopeKind kind, long delayTicks = 0) =>
        System.SchedulerForSend(Host).Post(this, message, sender, kind, delayTicks);

    internal abstract void Deliver(in Envelope envelope, HostScheduler scheduler);

    public override string ToString() => Path.Text;
}
