namespace Migration.Actors;

/// <summary>A watched actor has stopped. An actor that watches and does not handle this fails with <see cref="DeathPactException"/>.</summary>
public sealed record Terminated(IActorRef ActorRef);
