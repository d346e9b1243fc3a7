namespace Migration.Actors;

/// <summary>An actor watched another, did not handle its <see cref="Terminated"/>, and so fails with it.</summary>
public sealed class DeathPactException(IActorRef dead)
    : Exception($"watched actor {dead.Path} terminated and the watcher does not handle Terminated")
{
    public IActorRef DeadActor { get; } = dead;
}
