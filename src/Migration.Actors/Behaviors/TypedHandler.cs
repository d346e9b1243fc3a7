namespace Migration.Actors.Behaviors;

internal sealed class TypedHandler<T>(Action<T> action, Predicate<T>? shouldHandle) : Handler
{
    public override bool TryHandle(object message)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
        action(typed);
        return true;
    }
}
