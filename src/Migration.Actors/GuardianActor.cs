namespace Migration.Actors;

/// <summary>The parent of a host's top-level actors (<c>/user</c>). Supervises them with the default strategy.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected internal override bool Receive(object message) => false;
}
