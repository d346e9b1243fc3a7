namespace Migration.Actors.Behaviors;

/// <summary>One Receive registration: matches a message by type (and an optional predicate) and runs an action.</summary>
internal abstract class Handler
{
    public abstract bool TryHandle(object message);
}
