namespace Migration.Actors;

/// <summary>The actor received <see cref="Kill"/>.</summary>
public sealed class ActorKilledException(ActorPath path) : Exception($"actor {path} was killed");
