using Migration.Actors.Dispatch;

namespace Migration.Actors;

/// <summary>
/// The sender of messages sent from outside any actor. Replies to it are dead letters: nobody is
/// there to read them.
/// </summary>
public sealed class Nobody : IActorRef
{
    public static readonly Nobody Instance = new();

    private static readonly ActorPath NobodyPath = ActorPath.Root("nobody", 0).Child("nobody");

    private Nobody()
    {
    }

    public ActorPath Path => NobodyPath;

    public void Tell(object message, IActorRef? sender)
    {
        var scheduler = HostScheduler.Current;
        scheduler?.System.PublishDeadLetter(new DeadLetter(message, sender ?? this, this, "sent to Nobody (the sender was outside any actor)"));
    }

    public override string ToString() => "Nobody";
}
