using System.Runtime.CompilerServices;
using Migration.Actors.Util;

namespace Migration.Actors.Dispatch;

/// <summary>
/// The discrete-event loop for one partition of the actor system: every host (sequential mode) or
/// a single host (windowed mode). It delivers events in (time, origin host, origin sequence) order
/// and exposes the hooks a conservative distributed simulation needs: run to a bound, the time of
/// the next event, injection of cross-host messages at or after the bound, and an outbox of the
/// cross-host messages sent during a window.
/// </summary>
public sealed class HostScheduler
{
    /// <summary>Events per call of the inner delivery loop (see <see cref="DeliverBatch"/>).</summary>
    private const long BatchEventsMax = 1024;

    private readonly ActorSystem system;
    private readonly EventQueue queue;
    private readonly int ownHost;             // -1: owns every host
    private readonly long[] lastSeqByHost;    // per origin host: last sequence number assigned or injected
    private readonly ulong[] digestByHost;    // per recipient host: digest of deliveries in order
    private readonly long[] deliveredByHost;  // per recipient host: deliveries so far
    private readonly long[] tempIdByHost;
    private readonly List<Envelope> outbox = new();
    private readonly long crossHostLatencyTicks;
    private long boundTicks;
    private int executingHost = -1;

    internal HostScheduler(ActorSystem system, int ownHost)
    {
        this.system = system;
        this.ownHost = ownHost;
        var hosts = system.Settings.HostCount;
        lastSeqByHost = new long[hosts];
        digestByHost = new ulong[hosts];
        deliveredByHost = new long[hosts];
        tempIdByHost = new long[hosts];
        crossHostLatencyTicks = system.Settings.CrossHostLatency.Ticks;
        queue = new EventQueue(system.Settings.EventQueueLengthMax, hosts);
    }

    /// <summary>The host this scheduler runs, or null when it runs every host.</summary>
    public int? Host => ownHost < 0 ? null : ownHost;

    /// <summary>Virtual now: the time of the delivery in progress, or where the last run stopped.</summary>
    public long NowTicks { get; private set; }

    /// <summary>Every event before this time has been delivered; injections must be at or after it.</summary>
    public long BoundTicks => boundTicks;

    /// <summary>The time of the next pending event, or null when none is pending.</summary>
    public long? NextEventTicks => queue.IsEmpty ? null : queue.PeekTimeTicks;

    public int PendingCount => queue.Count;

    /// <summary>The time of the delivery in progress (or the last one).</summary>
    public long CurrentDeliveryTicks => NowTicks;

    /// <summary>
    /// The packed (origin host, sequence) of the delivery in progress: with
    /// <see cref="CurrentDeliveryTicks"/> it orders what deliveries did the same way in every
    /// execution mode (a journal sorts a window's events by it).
    /// </summary>
    public long CurrentDeliveryOriginKey { get; private set; }

    /// <summary>The actor being invoked right now, or null (between deliveries, or delivering to a non-actor).</summary>
    internal ActorCell? CurrentCell { get; set; }

    /// <summary>The message the current actor is handling, or null (between deliveries, or in a lifecycle hook).</summary>
    internal object? CurrentMessage { get; set; }

    /// <summary>The sender of <see cref="CurrentMessage"/>, or null when it had none.</summary>
    internal IActorRef? CurrentSender { get; set; }

    /// <summary>Forgets the invocation that just ended (null stores need no GC write barrier).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EndInvocation()
    {
        CurrentCell = null;
        CurrentMessage = null;
        CurrentSender = null;
    }

    internal ActorSystem System => system;

    internal long DeliveredCount(int host) => deliveredByHost[host];

    internal ulong Digest(int host) => digestByHost[host];

    internal bool Owns(int host) => ownHost < 0 || ownHost == host;

    /// <summary>
    /// Schedules a delivery sent now. The origin is the host of the delivery in progress or, for a
    /// call from outside a run, the recipient's host. Messages between hosts take at least the
    /// cross-host latency (the lookahead), which is what lets hosts run a window independently.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Post(InternalActorRef target, object message, IActorRef? sender, EnvelopeKind kind, long delayTicks)
    {
        var origin = executingHost >= 0 ? executingHost : target.Host;
        var time = NowTicks + delayTicks;
        var crossing = target.Host != origin;
        if (crossing) time += crossHostLatencyTicks;
        var seq = ++lastSeqByHost[origin];
        if (seq > Envelope.OriginSeqMax) ThrowSequenceExhausted(origin);
        var envelope = new Envelope(time, seq, origin, kind, target, message, sender);
        // A message within the host is queued here; in windowed mode one to another host (the origin
        // is this scheduler's host) waits in the outbox.
        if (!crossing) queue.Push(envelope, NowTicks);
        else if (ownHost >= 0) outbox.Add(envelope);
        else if (delayTicks == 0) queue.PushCrossing(envelope);
        else queue.Push(envelope, NowTicks);
    }

    /// <summary>
    /// Schedules a timer's event for its owner, <paramref name="target"/> (a timer never crosses
    /// hosts). Returns where it waits, for <see cref="WithdrawTimer"/>, or -1 if it cannot be withdrawn
    /// (due at once); a withdrawn timer is never delivered, so it leaves no trace in the digest.
    /// </summary>
    internal int PostTimer(InternalActorRef target, object entry, long delayTicks)
    {
        var origin = executingHost >= 0 ? executingHost : target.Host;
        var seq = ++lastSeqByHost[origin];
        if (seq > Envelope.OriginSeqMax) ThrowSequenceExhausted(origin);
        var envelope = new Envelope(NowTicks + delayTicks, seq, origin, EnvelopeKind.Timer, target, entry, null);
        return queue.PushWithdrawable(envelope, NowTicks);
    }

    /// <summary>Takes a timer's event back if it is still pending; see <see cref="PostTimer"/>. Returns whether it did.</summary>
    internal bool WithdrawTimer(int slot, object entry) => slot >= 0 && queue.TryWithdraw(slot, entry);

    /// <summary>
    /// Delivers every pending event earlier than <paramref name="exclusiveEndTicks"/>, at most
    /// <paramref name="eventsMax"/> of them. Returns how many were delivered.
    /// </summary>
    public long RunWindow(long exclusiveEndTicks, long eventsMax = long.MaxValue, Pacer? pacer = null)
    {
        if (exclusiveEndTicks < boundTicks)
            throw new ArgumentOutOfRangeException(nameof(exclusiveEndTicks), exclusiveEndTicks,
                $"a window cannot end before the current bound ({boundTicks} ticks)");
        var previous = system.Running;
        system.Running = this;
        long delivered = 0;
        try
        {
            while (delivered < eventsMax)
            {
                var batch = DeliverBatch(exclusiveEndTicks, Math.Min(eventsMax - delivered, BatchEventsMax), pacer);
                delivered += batch;
                if (batch < BatchEventsMax) break;
            }
            // A window cut short by eventsMax has not delivered everything before its end.
            if (queue.IsEmpty || queue.PeekTimeTicks >= exclusiveEndTicks) boundTicks = exclusiveEndTicks;
        }
        finally
        {
            executingHost = -1;
            EndInvocation();
            system.Running = previous;
        }
        return delivered;
    }

    /// <summary>
    /// Delivers up to <paramref name="eventsMax"/> events due before the end. The loop lives here,
    /// called once per batch, rather than in <see cref="RunWindow"/>: a method called only a few
    /// times per process never leaves the JIT's on-stack-replacement code, which is slower.
    /// </summary>
    private long DeliverBatch(long exclusiveEndTicks, long eventsMax, Pacer? pacer)
    {
        long delivered = 0;
        while (delivered < eventsMax && queue.TryPopBefore(exclusiveEndTicks, out var envelope))
        {
            if (envelope.TimeTicks < NowTicks)
                throw new InvariantViolationException(
                    $"delivery before the current time: {envelope} while now is {new TimeSpan(NowTicks)}");
            NowTicks = envelope.TimeTicks;
            if (pacer is not null) pacer.WaitFor(NowTicks);
            Deliver(envelope);
            delivered++;
        }
        return delivered;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Deliver(in Envelope envelope)
    {
        var target = envelope.TargetRef;
        var host = target.Host;
        executingHost = host;
        CurrentDeliveryOriginKey = envelope.OriginKey;
        // Two rounds per delivery: the key (time, origin host, sequence), then the recipient. The
        // message's type is left out: fetching it cost about 6% of the ping-pong benchmark, and the
        // key with the recipient already fixes the delivery order (journal verification compares
        // the persisted events themselves, byte for byte).
        var key = (ulong)envelope.TimeTicks * 0x9E3779B97F4A7C15UL ^ (ulong)envelope.OriginKey;
        digestByHost[host] = StableHash.Add(StableHash.Add(digestByHost[host], key), target.PathHash);
        deliveredByHost[host]++;
        target.Deliver(envelope, this);
    }

    /// <summary>
    /// Accepts a cross-host message for this scheduler's host. Its time must be at or after the
    /// bound (everything before the bound is already delivered) and its sequence number must be
    /// past every earlier one from the same origin.
    /// </summary>
    public void Inject(in Envelope envelope)
    {
        if (!Owns(envelope.TargetRef.Host))
            throw new ArgumentException($"{envelope} is for host {envelope.TargetRef.Host}, not host {ownHost}", nameof(envelope));
        if (envelope.TimeTicks < boundTicks)
            throw new InvariantViolationException(
                $"injected {envelope} is before the bound {new TimeSpan(boundTicks)}: the lookahead was violated");
        if (envelope.OriginSeq <= lastSeqByHost[envelope.OriginHost])
            throw new InvariantViolationException(
                $"injected {envelope} does not increase origin host {envelope.OriginHost}'s sequence (last {lastSeqByHost[envelope.OriginHost]})");
        lastSeqByHost[envelope.OriginHost] = envelope.OriginSeq;
        queue.Push(envelope, NowTicks);
    }

    /// <summary>The cross-host messages sent since the last call, in the order they were sent.</summary>
    public IReadOnlyList<Envelope> TakeOutbox()
    {
        if (outbox.Count == 0) return Array.Empty<Envelope>();
        var taken = outbox.ToArray();
        outbox.Clear();
        return taken;
    }

    /// <summary>Moves virtual now forward to <paramref name="ticks"/> after a run, so outside callers send at that time.</summary>
    public void AdvanceTo(long ticks)
    {
        if (!queue.IsEmpty && queue.PeekTimeTicks < ticks)
            throw new InvalidOperationException(
                $"cannot advance to {new TimeSpan(ticks)}: an event is pending at {new TimeSpan(queue.PeekTimeTicks)}");
        if (ticks > NowTicks) NowTicks = ticks;
        if (ticks > boundTicks) boundTicks = ticks;
    }

    private static void ThrowSequenceExhausted(int host) =>
        throw new InvalidOperationException($"host {host} has sent {Envelope.OriginSeqMax} messages, the most one run can order");

    internal long NextTempId(int host) => ++tempIdByHost[host];

    /// <summary>Checks the queue's ordering invariants (used by tests; costs a full scan).</summary>
    public void AssertInvariants()
    {
        queue.AssertInvariants();
        if (!queue.IsEmpty && queue.PeekTimeTicks < NowTicks)
            throw new InvariantViolationException($"pending event at {queue.PeekTimeTicks} before now {NowTicks}");
    }
}
