namespace Migration.Actors;

// Lifecycle and supervision messages the engine sends to cells. They travel through the event
// queue like any message, so their order is part of the deterministic delivery sequence.

/// <summary>Construct the actor and run PreStart.</summary>
internal sealed class Create
{
    public static readonly Create Instance = new();
}

/// <summary>A child failed; its parent's supervisor strategy decides.</summary>
internal sealed record Failed(ActorCell Child, Exception Cause, object? Message);

/// <summary>The sender watches the recipient.</summary>
internal sealed record Watch(InternalActorRef Watcher);

/// <summary>The sender no longer watches the recipient.</summary>
internal sealed record Unwatch(InternalActorRef Watcher);

/// <summary>A watched actor has stopped; becomes <see cref="Terminated"/> if the recipient still watches it.</summary>
internal sealed record DeathWatchNotification(IActorRef Actor);

/// <summary>Process the held mailbox (after a resume, a restart or an unstash).</summary>
internal sealed class Drain
{
    public static readonly Drain Instance = new();
}

/// <summary>An Ask's timeout has come.</summary>
internal sealed class AskTimeout
{
    public static readonly AskTimeout Instance = new();
}
