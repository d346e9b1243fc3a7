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
    private readonly List<(Type Type, Action<object> Handler)> recoverHandlers = new();
    private readonly List<Action> pendingHandlers = new();
    private PersistenceExtension? persistence;
    private string? storedId;

    /// <summary>Unique and stable among the run's actors: the actor's events are stored under it.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The sequence number of the last event persisted or recovered.</summary>
    protected long LastSequenceNr { get; private set; }

    protected bool IsRecovering { get; private set; }

    protected void Command<T>(Action<T> handler) => Receive<T>(message => RunCommand(handler, message));

    protected void Command<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(shouldHandle, message => RunCommand(handler, message));

    /// <summary>Registers how an event (or a <see cref="SnapshotOffer"/>, or <see cref="RecoveryCompleted"/>) rebuilds state.</summary>
    protected void Recover<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        recoverHandlers.Add((typeof(T), message => handler((T)message)));
    }

    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull =>
        PersistTagged(@event, [], handler);

    /// <summary>Persists with tags (no commas), which let queries read events of many actors by tag.</summary>
    protected void PersistTagged<TEvent>(TEvent @event, IReadOnlyList<string> tags, Action<TEvent> handler) where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        foreach (var tag in tags)
        {
            if (string.IsNullOrEmpty(tag) || tag.Contains(','))
                throw new ArgumentException($"tag '{tag}' of {PersistenceId} must be non-empty and contain no comma", nameof(tags));
        }
        var sequenceNr = LastSequenceNr + 1;
        persistence?.Append(storedId!, sequenceNr, @event, tags);
        LastSequenceNr = sequenceNr;
        pendingHandlers.Add(() => handler(@event));
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
        foreach (var (type, handler) in recoverHandlers)
        {
            if (type.IsInstanceOfType(message))
            {
                handler(message);
                return;
            }
        }
    }

    private void RunCommand<T>(Action<T> handler, T message)
    {
        handler(message);
        RunPendingHandlers();
    }

    private void RunPendingHandlers()
    {
        // Handlers may persist again; those run after the ones already waiting, in order.
        for (var i = 0; i < pendingHandlers.Count; i++) pendingHandlers[i]();
        pendingHandlers.Clear();
    }
}
