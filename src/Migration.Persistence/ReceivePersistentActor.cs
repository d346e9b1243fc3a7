using Migration.Actors;

namespace Migration.Persistence;

/// <summary>
/// An event-sourced actor, shaped like Akka.NET's ReceivePersistentActor. Commands arrive through
/// <see cref="Command{T}(Action{T})"/> handlers; <see cref="Persist{TEvent}"/> appends an event to the
/// journal's current window and runs its handler once the command handler has returned (before the
/// next message). On start the actor recovers: the newest snapshot is offered, then every later
/// event goes through the <see cref="Recover{T}"/> handlers, then <see cref="RecoveryCompleted"/>.
/// Without a journal attached to the system the actor runs in memory only.
/// </summary>
public abstract class ReceivePersistentActor : ReceiveActor
{
    // Allocated on first use: a run creates thousands of persistent actors, most of which never recover.
    private List<(Type Type, Action<object> Handler)>? recoverHandlers;
    // Persisted events whose handlers wait for the command to return: most commands persist one, which
    // waits in the first slot; more go to the list (allocated on first use).
    private PendingHandler firstPending;
    private List<PendingHandler>? morePending;
    private bool runningPending;
    private PersistenceExtension? persistence;
    private string? storedId;

    /// <summary>Unique and stable among the run's actors: the actor's events are stored under it.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The sequence number of the last event persisted or recovered.</summary>
    protected long LastSequenceNr { get; private set; }

    protected bool IsRecovering { get; private set; }

    /// <summary>
    /// Whether a journal stores (or verifies) what this actor persists; false when the system runs in
    /// memory only. An event persisted only as a record, with a handler that does nothing, need not
    /// be built when nothing will read it: guard it with this, as a log line with its level. (A guarded
    /// event that is skipped does not advance <see cref="LastSequenceNr"/>, which only a journal needs.)
    /// </summary>
    protected bool Journaling => persistence is not null;

    /// <summary>Handles commands of type <typeparamref name="T"/>; the handlers of what it persists run when it returns.</summary>
    protected void Command<T>(Action<T> handler) => Receive(handler);

    protected void Command<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(shouldHandle, handler);

    /// <summary>
    /// Handles a command without registered handlers, as Akka.NET's UntypedPersistentActor does: a
    /// switch on the message's type, which costs an actor no handler objects. Returns false for a
    /// message it does not handle, which then goes to the <see cref="Command{T}(Action{T})"/> handlers.
    /// </summary>
    protected virtual bool OnCommand(object message) => false;

    /// <summary>Handles a message, then runs the handlers of the events it persisted, in order.</summary>
    protected sealed override bool Receive(object message)
    {
        var handled = OnCommand(message) || base.Receive(message);
        RunPendingHandlers();
        return handled;
    }

    /// <summary>Registers how an event (or a <see cref="SnapshotOffer"/>, or <see cref="RecoveryCompleted"/>) rebuilds state.</summary>
    protected void Recover<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        (recoverHandlers ??= new()).Add((typeof(T), message => handler((T)message)));
    }

    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull =>
        PersistTagged(@event, [], handler);

    /// <summary>Persists with tags (no commas), which let queries read events of many actors by tag.</summary>
    protected void PersistTagged<TEvent>(TEvent @event, IReadOnlyList<string> tags, Action<TEvent> handler) where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (string.IsNullOrEmpty(tag) || tag.Contains(','))
                throw new ArgumentException($"tag '{tag}' of {PersistenceId} must be non-empty and contain no comma", nameof(tags));
        }
        var sequenceNr = LastSequenceNr + 1;
        persistence?.Append(storedId!, sequenceNr, @event, tags);
        LastSequenceNr = sequenceNr;
        var pending = new PendingHandler(handler, @event, PendingHandler.Of<TEvent>.Run);
        // While handlers run, a new one waits behind all of them.
        if (firstPending.Handler is null && !runningPending) firstPending = pending;
        else (morePending ??= new()).Add(pending);
    }

    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) where TEvent : notnull
    {
        foreach (var @event in events) Persist(@event, handler);
    }

    /// <summary>Stores <paramref name="snapshot"/> as the state after <see cref="LastSequenceNr"/>, with the current window.</summary>
    protected void SaveSnapshot(object snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        persistence?.AppendSnapshot(storedId!, LastSequenceNr, snapshot);
    }

    /// <summary>Marks this actor's events up to <paramref name="toSequenceNr"/> deleted (recovery then starts from a snapshot).</summary>
    protected void DeleteMessages(long toSequenceNr)
    {
        if (toSequenceNr > LastSequenceNr)
            throw new ArgumentOutOfRangeException(nameof(toSequenceNr), toSequenceNr, $"{PersistenceId} has persisted only up to {LastSequenceNr}");
        persistence?.AppendDelete(storedId!, toSequenceNr);
    }

    /// <summary>Runs PreStart, then the handlers of what it persisted (they wait for no message).</summary>
    protected sealed override void AroundPreStart()
    {
        base.AroundPreStart();
        RunPendingHandlers();
    }

    /// <summary>Runs PostRestart (by default PreStart), then the handlers of what it persisted.</summary>
    protected sealed override void AroundPostRestart(Exception reason)
    {
        base.AroundPostRestart(reason);
        RunPendingHandlers();
    }

    /// <summary>Recovers. An override must call this first.</summary>
    protected override void PreStart()
    {
        persistence = PersistenceExtension.For(Context.System);
        IsRecovering = true;
        if (persistence is not null)
        {
            storedId = persistence.StoredIdOf(PersistenceId);
            var bound = persistence.HighestFor(storedId);
            var from = 1L;
            if (bound > 0 && persistence.LoadSnapshot(storedId, bound) is { } snapshot)
            {
                var offered = persistence.Serializer.Deserialize(storedId, snapshot.SequenceNr, snapshot.Manifest, snapshot.Payload);
                ApplyRecovery(new SnapshotOffer(snapshot.SequenceNr, offered));
                LastSequenceNr = snapshot.SequenceNr;
                from = snapshot.SequenceNr + 1;
            }
            if (from <= bound)
            {
                foreach (var (sequenceNr, @event) in persistence.ReadForRecovery(storedId, from, bound))
                {
                    ApplyRecovery(@event);
                    LastSequenceNr = sequenceNr;
                }
            }
            // Deleted events are not replayed but still count: the bound is where this actor's sequence stands
            // (when recovering whatever is stored, it stands at the last row read).
            if (bound != PersistenceExtension.EverythingStored) LastSequenceNr = Math.Max(LastSequenceNr, bound);
        }
        IsRecovering = false;
        ApplyRecovery(RecoveryCompleted.Instance);
        RunPendingHandlers();
    }

    private void ApplyRecovery(object message)
    {
        if (recoverHandlers is null) return;
        foreach (var (type, handler) in recoverHandlers)
        {
            if (type.IsInstanceOfType(message))
            {
                handler(message);
                return;
            }
        }
    }

    private void RunPendingHandlers()
    {
        if (firstPending.Handler is null) return;
        // Handlers may persist again; those run after the ones already waiting, in order.
        runningPending = true;
        try
        {
            var first = firstPending;
            firstPending = default;
            first.Run(first.Handler, first.Event);
            if (morePending is null) return;
            for (var i = 0; i < morePending.Count; i++)
            {
                var pending = morePending[i];
                pending.Run(pending.Handler, pending.Event);
            }
        }
        finally
        {
            // Also after a handler threw: what it left waiting belongs to the failed command.
            runningPending = false;
            morePending?.Clear();
        }
    }

    /// <summary>A persisted event's handler, waiting for the command to return; <see cref="Run"/> is shared per event type, so waiting allocates nothing.</summary>
    private readonly record struct PendingHandler(Delegate Handler, object Event, Action<Delegate, object> Run)
    {
        public static class Of<TEvent>
        {
            public static readonly Action<Delegate, object> Run = static (handler, @event) => ((Action<TEvent>)handler)((TEvent)@event);
        }
    }
}
