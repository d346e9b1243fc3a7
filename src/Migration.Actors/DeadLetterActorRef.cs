using Migration.Actors.Dispatch;

namespace Migration.Actors;

/// <summary>
/// Where messages with nowhere to go are sent: the sender of a message sent from outside any actor,
/// and so the recipient of replies to it. Each host has its own, so a reply to no one never crosses
/// hosts. What it receives is published as a <see cref="DeadLetter"/>.
/// </summary>
public sealed class DeadLetterActorRef : InternalActorRef
{
    internal DeadLetterActorRef(ActorSystem system, int host)
        : base(system, ActorPath.Root(system.Name, host).Child("deadLetters"))
    {
    }

    internal override void Deliver(in Envelope envelope, HostScheduler scheduler)
    {
        if (envelope.Kind == EnvelopeKind.System) return;
        System.PublishDeadLetter(new DeadLetter(envelope.Message, envelope.Sender ?? this, this,
            "sent to deadLetters: the message it answers had no sender (it came from outside any actor)"));
    }
}
