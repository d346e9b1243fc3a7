using System.Runtime.CompilerServices;

namespace Migration.Actors.Dispatch;

/// <summary>
/// One scheduled delivery. Deliveries are totally ordered by (virtual time, origin host, origin
/// sequence number): the key depends only on what the simulation did, never on threads or
/// processes, so every execution mode delivers the same sequence.
/// </summary>
/// <remarks>
/// The origin host, sequence number and kind share one 64-bit word laid out so that comparing the
/// words compares (host, sequence): [host:16][sequence:46][kind:2]. Sequence numbers are unique
/// per host, so the kind bits never decide an order. This keeps an envelope at 40 bytes.
/// </remarks>
public readonly struct Envelope
{
    /// <summary>The largest origin sequence number the packed key can hold (about 7 x 10^13).</summary>
    public const long OriginSeqMax = (1L << 46) - 1;

    private const int KindBits = 2;
    private const int HostShift = 48;

    private readonly long originKey;

    internal Envelope(long timeTicks, long originSeq, int originHost, EnvelopeKind kind,
        InternalActorRef target, object message, IActorRef? sender)
    {
        TimeTicks = timeTicks;
        originKey = ((long)originHost << HostShift) | (originSeq << KindBits) | (long)kind;
        TargetRef = target;
        Message = message;
        Sender = sender;
    }

    /// <summary>
    /// An envelope that came from another process, to <see cref="HostScheduler.Inject"/>:
    /// <paramref name="target"/> is a reference of this process's system (see
    /// <see cref="ActorSystem.ResolvePath"/>).
    /// </summary>
    public static Envelope FromElsewhere(long timeTicks, long originSeq, int originHost, EnvelopeKind kind, IActorRef target, object message, IActorRef? sender)
    {
        if (target is not InternalActorRef recipient) throw new ArgumentException($"{target} is not a reference of the engine", nameof(target));
        ArgumentNullException.ThrowIfNull(message);
        if (originSeq < 1 || originSeq > OriginSeqMax) throw new ArgumentOutOfRangeException(nameof(originSeq), originSeq, $"a sequence number is 1 to {OriginSeqMax}");
        if (originHost < 0 || originHost >= recipient.System.Settings.HostCount)
            throw new ArgumentOutOfRangeException(nameof(originHost), originHost, $"the system has hosts 0 to {recipient.System.Settings.HostCount - 1}");
        return new Envelope(timeTicks, originSeq, originHost, kind, recipient, message, sender);
    }

    /// <summary>Virtual delivery time in <see cref="TimeSpan"/> ticks (100 ns).</summary>
    public long TimeTicks { get; }

    /// <summary>Sequence number assigned by the origin host; strictly increasing per origin.</summary>
    public long OriginSeq => (originKey >> KindBits) & OriginSeqMax;

    /// <summary>The host whose actor (or outside caller, on its behalf) sent this.</summary>
    public int OriginHost => (int)(originKey >>> HostShift);

    public EnvelopeKind Kind => (EnvelopeKind)(originKey & ((1 << KindBits) - 1));

    public object Message { get; }

    public IActorRef? Sender { get; }

    public IActorRef Target => TargetRef;

    public TimeSpan Time => new(TimeTicks);

    internal InternalActorRef TargetRef { get; }

    /// <summary>(origin host, origin sequence, kind) packed; compares like (host, sequence).</summary>
    internal long OriginKey => originKey;

    internal Envelope WithUserMessage(object message, IActorRef? sender) =>
        new(TimeTicks, OriginSeq, OriginHost, EnvelopeKind.User, TargetRef, message, sender);

    /// <summary>True when <paramref name="a"/> is delivered strictly before <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Precedes(in Envelope a, in Envelope b) =>
        a.TimeTicks < b.TimeTicks || (a.TimeTicks == b.TimeTicks && a.originKey < b.originKey);

    public override string ToString() =>
        $"{Message.GetType().Name} to {TargetRef.Path} at {Time} (origin host {OriginHost}, seq {OriginSeq})";
}
