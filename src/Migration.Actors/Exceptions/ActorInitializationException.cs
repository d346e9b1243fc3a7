namespace Migration.Actors;

/// <summary>An actor's constructor or PreStart threw. Its supervisor stops it by default.</summary>
public sealed class ActorInitializationException(ActorPath path, Exception cause)
    : Exception($"actor {path} failed to start: {cause.GetType().Name}: {cause.Message}", cause)
{
    public ActorPath Path { get; } = path;
}
