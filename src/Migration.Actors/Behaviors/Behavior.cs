namespace Migration.Actors.Behaviors;

/// <summary>
/// The handlers of one behaviour, tried in registration order; the first match handles the message.
/// Each registration is an entry in one array: the actor's own delegates and a matcher shared by
/// every registration for the same message type, so an actor costs one array per behaviour rather
/// than an object per handler (a run creates thousands of actors, and each is traced by every
/// collection while it lives).
/// </summary>
internal sealed class Behavior
{
    // Most behaviours installed by Become have one to four handlers.
    private const int InitialCapacity = 4;

    /// <summary>No handlers: the behaviour of a receive actor that has registered none (shared; never added to).</summary>
    public static readonly Behavior None = new();

    private Entry[] entries = [];
    private int count;

    public void Add<T>(Action<T> action, Predicate<T>? shouldHandle)
    {
        if (count == entries.Length) Array.Resize(ref entries, Math.Max(InitialCapacity, count * 2));
        entries[count++] = new Entry(action, shouldHandle, Matcher<T>.TryHandle);
    }

    public bool TryHandle(object message)
    {
        var all = entries;
        for (var i = 0; i < count; i++)
        {
            ref readonly var entry = ref all[i];
            if (entry.TryHandle(entry.Action, entry.ShouldHandle, message)) return true;
        }
        return false;
    }

    private readonly record struct Entry(Delegate Action, Delegate? ShouldHandle, Func<Delegate, Delegate?, object, bool> TryHandle);

    /// <summary>The type test and call for handlers of <typeparamref name="T"/>: one delegate per message type, shared by all actors.</summary>
    private static class Matcher<T>
    {
        public static readonly Func<Delegate, Delegate?, object, bool> TryHandle = static (action, shouldHandle, message) =>
        {
            if (message is not T typed) return false;
            if (shouldHandle is not null && !((Predicate<T>)shouldHandle)(typed)) return false;
            ((Action<T>)action)(typed);
            return true;
        };
    }
}
