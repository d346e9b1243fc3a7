namespace Migration.Actors;

public static class ActorRefExtensions
{
    /// <summary>The host the actor lives on: its path's host, read without building the path.</summary>
    public static int HostOf(this IActorRef actor) => actor is InternalActorRef known ? known.Host : actor.Path.Host;

    /// <summary>Sends with the current actor as the sender (or no sender outside an actor), as Akka.NET does.</summary>
    public static void Tell(this IActorRef receiver, object message) =>
        receiver.Tell(message, (receiver as InternalActorRef)?.System.Running?.CurrentCell);

    /// <summary>Passes <paramref name="message"/> on, keeping the original sender of the message being handled.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        var cell = (receiver as InternalActorRef)?.System.Running?.CurrentCell
            ?? throw new InvalidOperationException("Forward is only meaningful while an actor handles a message");
        receiver.Tell(message, cell.CurrentSender);
    }
}
