namespace Migration.Actors.Dispatch;

/// <summary>
/// One scheduled delivery. Deliveries are totally ordered by (virtual time, origin host, origin
/// sequence number): the key depends only on what the simulation did, never on threads or
/// processes, so every execution mode delivers the same sequence.
/// </summary>
public readonly struct Envelope
{
    internal Envelope(long timeTicks, long originSeq, int originHost, EnvelopeKind kind,
        InternalActorRef target, object message, IActorRef? sender)
    {
        TimeTicks = timeTicks;
        OriginSeq = originSeq;
        OriginHost = originHost;
        Kind = kind;
        TargetRef = target;
        Message = message;
        Sender = sender;
    }

    /// <summary>Virtual delivery time in <see cref="TimeSpan"/> ticks (100 ns).</summary>
    public long TimeTicks { get; }

    /// <summary>Sequence number assigned by the origin host; strictly increasing per origin.</summary>
    public long OriginSeq { get; }

    /// <summary>The host whose actor (or outside caller, on its behalf) sent this.</summary>
    public int OriginHost { get; }

    public EnvelopeKind Kind { get; }

    public object Message { get; }

    public IActorRef? Sender { get; }

    public IActorRef Target => TargetRef;

    public TimeSpan Time => new(TimeTicks);

    internal InternalActorRef TargetRef { get; }

    internal Envelope WithUserMessage(object message, IActorRef? sender) =>
        new(TimeTicks, OriginSeq, OriginHost, EnvelopeKind.User, TargetRef, message, sender);

    /// <summary>True when <paramref name="a"/> is delivered strictly before <paramref name="b"/>.</summary>
    internal static bool Precedes(in Envelope a, in Envelope b)
    {
        if (a.TimeTicks != b.TimeTicks) return a.TimeTicks < b.TimeTicks;
        if (a.OriginHost != b.OriginHost) return a.OriginHost < b.OriginHost;
        return a.OriginSeq < b.OriginSeq;
    }

    public override string ToString() =>
        $"{Message.GetType().Name} to {TargetRef.Path} at {Time} (origin host {OriginHost}, seq {OriginSeq})";
}
