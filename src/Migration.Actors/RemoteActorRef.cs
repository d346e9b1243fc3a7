using Migration.Actors.Dispatch;

namespace Migration.Actors;

/// <summary>
/// A reference to an actor this process does not run, named by its path: what a message that came
/// from another process names as its sender, or as a target this process holds no actor for. A send
/// to it crosses hosts (its host is another partition's) and so leaves in the outbox; one that
/// arrives here anyway (its actor stopped, or never was) becomes a dead letter.
/// </summary>
public sealed class RemoteActorRef : InternalActorRef
{
    internal RemoteActorRef(ActorSystem system, ActorPath path)
        : base(system, path)
    {
    }

    internal override void Deliver(in Envelope envelope, HostScheduler scheduler)
    {
        if (envelope.Kind == EnvelopeKind.System) return;
        System.PublishDeadLetter(new DeadLetter(envelope.Message, envelope.Sender ?? System.DeadLettersOn(Host), this,
            $"no actor at {Path} in this process"));
    }
}
