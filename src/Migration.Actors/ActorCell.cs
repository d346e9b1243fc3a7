using System.Globalization;
using Migration.Actors.Dispatch;
using Migration.Actors.Supervision;
using Migration.Actors.Timers;
using Migration.Actors.Util;

namespace Migration.Actors;

/// <summary>
/// The engine's side of one actor: its mailbox state, children, watchers, timers and stash. The
/// cell is also the actor's reference; a restart replaces the actor instance, never the cell.
/// </summary>
/// <remarks>
/// Messages that cannot be handled now (the actor is being created or is suspended, or unstashed
/// messages are waiting) go to the held mailbox, and every later message queues behind them, so
/// mailbox order is kept through failures, restarts and unstashing. A Drain event, delivered at
/// the current instant, works the held mailbox off.
/// </remarks>
public sealed class ActorCell : InternalActorRef, IActorContext, IStash
{
    [ThreadStatic] private static ActorCell? constructing;

    private readonly Props props;
    private readonly ActorCell? parent;
    private readonly string name;
    private readonly ulong pathState;
    private readonly long ordinal;
    private ActorBase? actor;
    private CellState state = CellState.Creating;
    private RingBuffer<Envelope>? held;
    private Dictionary<string, ActorCell>? children;
    private TimerScheduler? timers;
    private Rare? rare;
    private bool stopRequested;
    private bool drainScheduled;

    /// <summary>
    /// What few actors use (a stash, death watch, a random generator, restarts, children): one object
    /// allocated at first use, so the thousands of actors of a run that never need it are smaller.
    /// </summary>
    private sealed class Rare
    {
        public List<Envelope>? Stashed;
        public List<InternalActorRef>? Watching;
        public List<InternalActorRef>? WatchedBy;
        public DeterministicRandom? Random;
        public RestartStatistics? RestartStatistics;
        public long ChildrenCreated;
    }

    /// <summary>A guardian: the root of a host's tree, with its path given.</summary>
    internal ActorCell(ActorSystem system, Props props, ActorPath path)
        : base(system, path)
    {
        this.props = props;
        name = path.Name;
        pathState = path.FnvState;
    }

    /// <summary>
    /// A child. Its path is built only when asked for (most never are): the host and the stable hash,
    /// which delivery needs, come from the parent's hash state and the name.
    /// </summary>
    private ActorCell(ActorSystem system, Props props, ActorCell parent, string name, ulong pathState, long ordinal)
        : base(system, parent.Host, StableHash.Mix(pathState))
    {
        this.props = props;
        this.parent = parent;
        this.name = name;
        this.pathState = pathState;
        this.ordinal = ordinal;
    }

    private Rare Extras => rare ??= new Rare();

    /// <summary>Schedules one of this actor's timers; returns where it waits (see <see cref="HostScheduler.PostTimer"/>).</summary>
    internal int PostTimer(TimerEntry entry, long delayTicks) => System.SchedulerForSend(Host).PostTimer(this, entry, delayTicks);

    /// <summary>Takes back a timer's pending event (its own host's queue holds it).</summary>
    internal bool WithdrawTimer(int slot, TimerEntry entry) => System.SchedulerFor(Host).WithdrawTimer(slot, entry);

    private protected override ActorPath BuildPath() => parent!.Path.Child(name, pathState);

    /// <summary>The cell whose actor is being constructed on this thread (read by <see cref="ActorBase"/>'s constructor).</summary>
    internal static ActorCell? Constructing => constructing;

    internal bool IsTerminated => state == CellState.Terminated;

    /// <summary>True while this actor's own code runs (a handler or a lifecycle hook).</summary>
    private bool Busy => ReferenceEquals(System.Running?.CurrentCell, this);

    /// <summary>The sender of the message being handled; this host's dead letters outside a handler or when it had none.</summary>
    internal IActorRef CurrentSender => (Busy ? System.Running!.CurrentSender : null) ?? System.DeadLettersOn(Host);

    /// <summary>The running actor instance (for tests and diagnostics); null before creation and after stopping.</summary>
    internal ActorBase? Actor => actor;

    // ---- IActorContext -------------------------------------------------------------------------

    public IActorRef Self => this;

    IActorRef IActorContext.Sender => CurrentSender;

    public IActorRef Parent => (IActorRef?)parent ?? System.DeadLettersOn(Host);

    public TimeSpan Now => new(System.SchedulerFor(Host).NowTicks);

    public DeterministicRandom Random => Extras.Random ??= DeterministicRandom.Derive(System.Settings.Seed, Path.Text);

    public IReadOnlyList<IActorRef> Children => OrderedChildren();

    internal IStash Stash => this;

    internal ITimerScheduler Timers => timers ??= new TimerScheduler(this, System.Settings.TimersPerActorMax);

    public IActorRef? Child(string name) =>
        children is not null && children.TryGetValue(name, out var child) ? child : null;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (state == CellState.Terminated) throw new InvalidOperationException($"{Path} is stopped and cannot create children");
        var extras = Extras;
        if (name is null) name = "$" + (extras.ChildrenCreated + 1).ToString(CultureInfo.InvariantCulture);
        else ActorPath.ValidateName(name);
        children ??= new Dictionary<string, ActorCell>(StringComparer.Ordinal);
        if (children.ContainsKey(name)) throw new InvalidActorNameException($"actor name '{name}' is not unique under {Path}");
        var child = new ActorCell(System, props, this, name, ActorPath.ChildState(pathState, name), ++extras.ChildrenCreated);
        children.Add(name, child);
        child.Post(Create.Instance, this, EnvelopeKind.System);
        return child;
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (ReferenceEquals(actor, this)) StopSelf();
        else if (actor is ActorCell cell && ReferenceEquals(cell.parent, this)) cell.StopSelf();
        else throw new InvalidOperationException($"{Path} can stop itself and its children, not {actor.Path}; send it a PoisonPill instead");
    }

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is not InternalActorRef target || ReferenceEquals(target, this)) return subject;
        var watching = Extras.Watching ??= new List<InternalActorRef>();
        if (!watching.Contains(target))
        {
            watching.Add(target);
            target.Post(new Watch(this), this, EnvelopeKind.System);
        }
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is InternalActorRef target && rare?.Watching is { } watching && watching.Remove(target))
            target.Post(new Unwatch(this), this, EnvelopeKind.System);
        return subject;
    }

    public void ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        if (delay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "cannot schedule into the past");
        if (receiver is not InternalActorRef target)
            throw new ArgumentException($"{receiver.Path} is not an actor of this system", nameof(receiver));
        target.Post(message, sender, EnvelopeKind.User, delay.Ticks);
    }

    // ---- IStash --------------------------------------------------------------------------------

    int IStash.Count => rare?.Stashed?.Count ?? 0;

    void IStash.Stash()
    {
        var scheduler = System.Running;
        if (!Busy || scheduler!.CurrentMessage is not { } currentMessage)
            throw new InvalidOperationException($"{Path} can only stash the message it is handling");
        var stashed = Extras.Stashed ??= new List<Envelope>();
        if (stashed.Count >= System.Settings.StashLengthMax)
            throw new StashOverflowException($"actor {Path} has stashed {stashed.Count} messages, its limit (ActorSystemSettings.StashLengthMax)");
        // Only the message and its sender matter once stashed: unstashed messages are ordered by the mailbox, not by key.
        stashed.Add(new Envelope(0, 0, Host, EnvelopeKind.User, this, currentMessage, scheduler.CurrentSender));
    }

    void IStash.Unstash()
    {
        if (rare?.Stashed is not { Count: > 0 } stashed) return;
        var first = stashed[0];
        stashed.RemoveAt(0);
        (held ??= new RingBuffer<Envelope>()).PushFront(first);
        ScheduleDrainIfHeld();
    }

    void IStash.UnstashAll()
    {
        ReturnStashToMailbox();
        ScheduleDrainIfHeld();
    }

    void IStash.ClearStash()
    {
        if (rare?.Stashed is not { } stashed) return;
        foreach (var envelope in stashed) DeadLetterFor(envelope, "the stash holding it was cleared");
        stashed.Clear();
    }

    // ---- Delivery ------------------------------------------------------------------------------

    internal override void Deliver(in Envelope envelope, HostScheduler scheduler)
    {
        if (envelope.Kind == EnvelopeKind.User && state == CellState.Running && (held is null || held.Count == 0))
        {
            Invoke(envelope.Message, envelope.Sender, scheduler);
            return;
        }
        switch (envelope.Kind)
        {
            case EnvelopeKind.User:
                DeliverUser(envelope, scheduler);
                break;
            case EnvelopeKind.Timer:
                if (state != CellState.Terminated && timers?.Accept((TimerEntry)envelope.Message) is { } message)
                    DeliverUser(envelope.WithUserMessage(message, null), scheduler);
                break;
            default:
                HandleSystem(envelope, scheduler);
                break;
        }
    }

    private void DeliverUser(in Envelope envelope, HostScheduler scheduler)
    {
        if (state == CellState.Running && (held is null || held.Count == 0)) Invoke(envelope.Message, envelope.Sender, scheduler);
        else if (state == CellState.Terminated) DeadLetterFor(envelope, "the recipient had already stopped");
        else Hold(envelope);
    }

    private void Invoke(object message, IActorRef? sender, HostScheduler scheduler)
    {
        // The message and its sender are the scheduler's, not the cell's: only one invocation runs at
        // a time, and a cell that kept them would hold the last message alive (and dirty a card for
        // the collector) until its next one. Invocations never nest (lifecycle hooks run through
        // RunLifecycle, which restores), so clearing afterwards is enough: a null store needs no GC
        // write barrier.
        scheduler.CurrentMessage = message;
        scheduler.CurrentSender = sender;
        scheduler.CurrentCell = this;
        try
        {
            if (ReferenceEquals(message, PoisonPill.Instance)) stopRequested = true;
            else if (ReferenceEquals(message, Kill.Instance)) throw new ActorKilledException(Path);
            else if (!actor!.Receive(message)) actor.Unhandled(message);
        }
        catch (Exception failure)
        {
            scheduler.EndInvocation();
            Fail(failure, message);
        }
        finally
        {
            scheduler.EndInvocation();
        }
        if (stopRequested) Terminate();
    }

    private void Hold(in Envelope envelope)
    {
        held ??= new RingBuffer<Envelope>();
        if (held.Count >= System.Settings.MailboxLengthMax)
        {
            DeadLetterFor(envelope, $"the mailbox is full ({held.Count} messages held, ActorSystemSettings.MailboxLengthMax)");
            return;
        }
        held.PushBack(envelope);
    }

    private void ScheduleDrainIfHeld()
    {
        if (drainScheduled || held is null || held.Count == 0 || state != CellState.Running) return;
        drainScheduled = true;
        Post(Drain.Instance, this, EnvelopeKind.System);
    }

    private void DrainHeld(HostScheduler scheduler)
    {
        while (state == CellState.Running && held is not null && held.Count > 0)
        {
            var next = held.PopFront();
            Invoke(next.Message, next.Sender, scheduler);
        }
    }

    // ---- System messages -----------------------------------------------------------------------

    private void HandleSystem(in Envelope envelope, HostScheduler scheduler)
    {
        switch (envelope.Message)
        {
            case Create:
                CreateActor(scheduler);
                break;
            case Drain:
                drainScheduled = false;
                DrainHeld(scheduler);
                break;
            case Failed failed:
                HandleFailed(failed, scheduler);
                break;
            case Watch watch:
                AddWatcher(watch.Watcher);
                break;
            case Unwatch unwatch:
                rare?.WatchedBy?.Remove(unwatch.Watcher);
                break;
            case DeathWatchNotification notification:
                if (state != CellState.Terminated && rare?.Watching is { } watching && watching.Remove((InternalActorRef)notification.Actor))
                    DeliverUser(envelope.WithUserMessage(new Terminated(notification.Actor), notification.Actor), scheduler);
                break;
            default:
                throw new InvariantViolationException($"{Path} received unknown system message {envelope}");
        }
    }

    private void AddWatcher(InternalActorRef watcher)
    {
        if (state == CellState.Terminated)
        {
            watcher.Post(new DeathWatchNotification(this), this, EnvelopeKind.System);
            return;
        }
        var watchedBy = Extras.WatchedBy ??= new List<InternalActorRef>();
        if (!watchedBy.Contains(watcher)) watchedBy.Add(watcher);
    }

    private void CreateActor(HostScheduler scheduler)
    {
        if (state != CellState.Creating) return;
        // Static lambdas (the cell is passed in): creating or stopping one of a run's thousands of actors allocates no closure.
        if (!RunLifecycle(scheduler, static cell =>
            {
                cell.actor = cell.NewActor();
                cell.state = CellState.Running;
                cell.actor.AroundPreStart();
            }, out var failure))
        {
            actor = null;
            Fail(new ActorInitializationException(Path, failure!), null);
            return;
        }
        if (stopRequested) Terminate();
        else ScheduleDrainIfHeld();
    }

    private ActorBase NewActor()
    {
        var previous = constructing;
        constructing = this;
        try
        {
            var created = props.NewActor();
            if (!ReferenceEquals(created.Cell, this))
                throw new InvalidOperationException($"the factory for {Path} returned an actor created elsewhere");
            created.AfterConstruction();
            return created;
        }
        finally
        {
            constructing = previous;
        }
    }

    /// <summary>Runs user lifecycle code as this actor (passed to <paramref name="action"/>); returns false with the exception if it threw.</summary>
    private bool RunLifecycle(HostScheduler? scheduler, Action<ActorCell> action, out Exception? failure)
    {
        var previousCell = scheduler?.CurrentCell;
        var previousMessage = scheduler?.CurrentMessage;
        var previousSender = scheduler?.CurrentSender;
        if (scheduler is not null)
        {
            // A lifecycle hook handles no message: Sender is dead letters there.
            scheduler.CurrentCell = this;
            scheduler.CurrentMessage = null;
            scheduler.CurrentSender = null;
        }
        try
        {
            action(this);
            failure = null;
            return true;
        }
        catch (Exception thrown)
        {
            failure = thrown;
            return false;
        }
        finally
        {
            if (scheduler is not null)
            {
                scheduler.CurrentCell = previousCell;
                scheduler.CurrentMessage = previousMessage;
                scheduler.CurrentSender = previousSender;
            }
        }
    }

    // ---- Failure and supervision ---------------------------------------------------------------

    /// <summary>Suspends this actor and asks its parent what to do.</summary>
    private void Fail(Exception cause, object? message)
    {
        if (state == CellState.Terminated) return;
        state = CellState.Suspended;
        if (parent is null)
        {
            System.PublishError(new Error(Path, cause, $"guardian failed: {cause.Message}; stopping it"));
            Terminate();
            return;
        }
        parent.Post(new Failed(this, cause, message), this, EnvelopeKind.System);
    }

    private void HandleFailed(Failed failed, HostScheduler scheduler)
    {
        var child = failed.Child;
        if (state == CellState.Terminated || child.IsTerminated || children is null || !children.ContainsValue(child)) return;
        var strategy = props.SupervisorStrategy ?? actor?.SupervisorStrategy() ?? SupervisorStrategy.Default;
        Directive directive;
        try
        {
            directive = strategy.Decider(failed.Cause);
        }
        catch (Exception deciderFailure)
        {
            System.PublishError(new Error(Path, deciderFailure, $"supervisor decider threw for {child.Path}; escalating"));
            directive = Directive.Escalate;
        }
        if (directive == Directive.Escalate && parent is null) directive = Directive.Stop;
        if (strategy.LoggingEnabled)
            System.PublishError(new Error(child.Path, failed.Cause,
                $"{failed.Cause.GetType().Name}: {failed.Cause.Message} (supervisor {Path}: {directive})"));

        var affected = strategy.AppliesToAllChildren ? OrderedChildren() : [child];
        switch (directive)
        {
            case Directive.Resume:
                child.ResumeAfterFailure();
                break;
            case Directive.Restart:
                var permitted = (child.Extras.RestartStatistics ??= new RestartStatistics())
                    .RequestRestart(strategy.RestartsMax, strategy.Window, scheduler.NowTicks);
                foreach (var cell in affected)
                {
                    if (!permitted) cell.StopSelf();
                    else cell.Restart(failed.Cause, ReferenceEquals(cell, child) ? failed.Message : null, scheduler);
                }
                break;
            case Directive.Stop:
                foreach (var cell in affected) cell.StopSelf();
                break;
            case Directive.Escalate:
                Fail(failed.Cause, null);
                break;
        }
    }

    private void ResumeAfterFailure()
    {
        if (state != CellState.Suspended) return;
        state = CellState.Running;
        ScheduleDrainIfHeld();
    }

    private void Restart(Exception cause, object? failedMessage, HostScheduler scheduler)
    {
        if (state == CellState.Terminated) return;
        if (actor is { } old && !RunLifecycle(scheduler, _ => old.PreRestart(cause, failedMessage), out var preRestartFailure))
            System.PublishError(new Error(Path, preRestartFailure!, $"PreRestart threw: {preRestartFailure!.Message}"));
        timers?.CancelAll();
        ReturnStashToMailbox();
        actor = null;
        if (!RunLifecycle(scheduler, _ =>
            {
                actor = NewActor();
                state = CellState.Running;
                actor.AroundPostRestart(cause);
            }, out var failure))
        {
            actor = null;
            state = CellState.Suspended;
            Fail(new ActorInitializationException(Path, failure!), null);
            return;
        }
        if (stopRequested) Terminate();
        else ScheduleDrainIfHeld();
    }

    private void ReturnStashToMailbox()
    {
        if (rare?.Stashed is not { Count: > 0 } stashed) return;
        held ??= new RingBuffer<Envelope>();
        for (var i = stashed.Count - 1; i >= 0; i--) held.PushFront(stashed[i]);
        stashed.Clear();
    }

    // ---- Stopping ------------------------------------------------------------------------------

    /// <summary>Stops this actor now, or after the message it is handling.</summary>
    internal void StopSelf()
    {
        if (state == CellState.Terminated) return;
        if (Busy) stopRequested = true;
        else Terminate();
    }

    /// <summary>Stops children first, then this actor; tells watchers; what is left in the mailbox becomes dead letters.</summary>
    private void Terminate()
    {
        if (state == CellState.Terminated) return;
        state = CellState.Terminated;
        stopRequested = false;
        foreach (var child in OrderedChildren()) child.StopSelf();
        timers?.CancelAll();
        if (actor is not null && !RunLifecycle(System.Running, static cell => cell.actor!.PostStop(), out var failure))
            System.PublishError(new Error(Path, failure!, $"PostStop threw: {failure!.Message}"));
        actor = null;
        parent?.RemoveChild(this);
        while (held is not null && held.Count > 0) DeadLetterFor(held.PopFront(), "the recipient stopped before handling it");
        held = null;
        if (rare is not null)
        {
            if (rare.Stashed is { } stashed)
            {
                foreach (var envelope in stashed) DeadLetterFor(envelope, "the recipient stopped with it stashed");
                rare.Stashed = null;
            }
            if (rare.WatchedBy is { } watchedBy)
            {
                foreach (var watcher in watchedBy) watcher.Post(new DeathWatchNotification(this), this, EnvelopeKind.System);
                rare.WatchedBy = null;
            }
            rare.Watching = null;
        }
        AssertInvariants();
    }

    private void RemoveChild(ActorCell child)
    {
        if (children is not null && children.TryGetValue(child.name, out var existing) && ReferenceEquals(existing, child))
            children.Remove(child.name);
    }

    private ActorCell[] OrderedChildren()
    {
        if (children is null || children.Count == 0) return [];
        var ordered = children.Values.ToArray();
        Array.Sort(ordered, static (a, b) => a.ordinal.CompareTo(b.ordinal));
        return ordered;
    }

    private void DeadLetterFor(in Envelope envelope, string reason)
    {
        // Engine-internal messages are not the user's letters; timers resolve to their message.
        if (envelope.Kind == EnvelopeKind.System) return;
        var message = envelope.Message is TimerEntry timer ? timer.Message : envelope.Message;
        System.PublishDeadLetter(new DeadLetter(message, envelope.Sender ?? System.DeadLettersOn(Host), this, reason));
    }

    /// <summary>
    /// A stopped actor holds nothing (its messages became dead letters, so none are silently kept);
    /// a running one has an actor instance (otherwise a message would be handed to nobody).
    /// </summary>
    internal void AssertInvariants()
    {
        if (state == CellState.Terminated && (actor is not null || held is not null || rare?.Stashed is not null || children is { Count: > 0 }))
            throw new InvariantViolationException($"{Path} is stopped but still holds an actor, messages or children");
        if (state == CellState.Running && actor is null)
            throw new InvariantViolationException($"{Path} is running without an actor instance");
    }
}
