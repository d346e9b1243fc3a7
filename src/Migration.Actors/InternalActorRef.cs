using Migration.Actors.Dispatch;

namespace Migration.Actors;

/// <summary>
/// Everything the scheduler can deliver to: actor cells, Ask promises, inboxes. Holds the host
/// and the stable path hash so the hot path reads fields, not virtual properties.
/// </summary>
public abstract class InternalActorRef : IActorRef
{
    private ActorPath? path;

    private protected InternalActorRef(ActorSystem system, ActorPath path)
        : this(system, path.Host, path.StableHash)
    {
        this.path = path;
    }

    /// <summary>A reference whose path is built on first use by <see cref="BuildPath"/>.</summary>
    private protected InternalActorRef(ActorSystem system, int host, ulong pathHash)
    {
        System = system;
        Host = host;
        PathHash = pathHash;
    }

    /// <summary>Where the actor lives. Built at first use for a reference created without it; every caller sees the same instance.</summary>
    public ActorPath Path => path ?? PublishPath();

    private ActorPath PublishPath()
    {
        var built = BuildPath();
        return Interlocked.CompareExchange(ref path, built, null) ?? built;
    }

    /// <summary>Builds the path of a reference created without one.</summary>
    private protected virtual ActorPath BuildPath() =>
        throw new InvalidOperationException($"{GetType().Name} was created without a path and cannot build one");

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
