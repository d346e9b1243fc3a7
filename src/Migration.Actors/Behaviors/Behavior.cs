namespace Migration.Actors.Behaviors;

/// <summary>The handlers of one behaviour, tried in registration order; the first match handles the message.</summary>
internal sealed class Behavior
{
    private Handler[] handlers = [];

    public void Add(Handler handler)
    {
        Array.Resize(ref handlers, handlers.Length + 1);
        handlers[^1] = handler;
    }

    public bool TryHandle(object message)
    {
        foreach (var handler in handlers)
        {
            if (handler.TryHandle(message)) return true;
        }
        return false;
    }
}
