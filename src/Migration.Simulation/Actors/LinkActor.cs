using Migration.Actors;
using Migration.Scenarios.Model;
using Migration.Simulation.Messages;
using Migration.Simulation.World;
using Migration.Xen.Network;

namespace Migration.Simulation.Actors;

/// <summary>
/// A host's network link, full duplex: the migration streams leaving it and entering it, and each
/// one's rate. With <c>sharing: fair</c> the rates are max-min fair, found the way transport
/// protocols find them, by the two ends talking: each end computes the fair share of its own
/// link (progressive filling over the streams it carries, each held to what the other end last
/// said it may have) and tells the other end, as a message that takes the link's latency, when
/// that share moves: one word to each other end, carrying every stream between them whose share
/// moved at that moment. Where a direction of the link does not fill (every stream on it is held below its level
/// elsewhere), what a stream is told is what it could rise to with the others where they are: its
/// bound and what is left (as transport protocols advertise a rate on a link that is not the
/// bottleneck); telling "no limit" instead sends the ends back and forth between the two. The sender paces the stream at the least of both ends' shares, the fabric's
/// and its own cap. The allocation settles within a few latencies of a change at the max-min
/// fair rates (what <see cref="MaxMinFairShare"/> computes with every stream in view), and a
/// pass's end follows from its rates over time, recomputed when a rate changes, never by
/// stepping time. With <c>sharing: none</c> every stream has the least of both ends' links and
/// its cap, whatever else is on them.
/// A migration's stream is one connection for all its passes, as Xen's migration stream is one TCP
/// connection: the next pass, which starts at the moment the last one ended, takes over the
/// connection's share; the connection leaves the link when its coordinator closes it
/// (<see cref="CancelStream"/>), after the final pass or when the migration ends before it.
/// </summary>
public sealed class LinkActor : ActorBase
{
    /// <summary>A share that moved by less than this fraction is not worth telling the other end (it keeps allocations from chattering forever over rounding).</summary>
    public const double RelativeChangeMin = 1e-9;

    /// <summary>
    /// A coordinator hears that its stream slowed only when the end moved later by at least this
    /// much: half the margin its destination's lease keeps past the end, so the lease, renewed at
    /// each <see cref="StreamEndMoved"/>, always outlasts the end by more than the other half.
    /// </summary>
    public static readonly long EndMovedNoticeTicks = MigrationCoordinator.LeaseNoticeTicks;

    private readonly int host;
    private readonly List<Stream> streams = new();
    private readonly Dictionary<int, Stream> sending = new();     // the streams in the list that leave this host, by migration
    private readonly Dictionary<int, Stream> receiving = new();   // and those that enter it
    private readonly List<StreamLimit?> outbox = new();   // what this moment has to tell, sent by Flush
    private double[] bounds = [];
    private double[] outWeights = [];
    private double[] inWeights = [];
    private int[] outOrder = [];   // stream positions in the order of their bounds: the outgoing ones (every stream, with reverse traffic)
    private int[] inOrder = [];    // and the incoming ones (without reverse traffic)
    private int outCount;
    private bool ordersStale = true;   // a stream came or went since the orders were made
    private SimulationWorld world = null!;
    private double capacity;
    private double reverseFraction;
    private bool fair;
    private bool reverse;
    private long dueTicks = long.MaxValue;
    private bool crashed;
    private bool unsettled;   // something changed since the last computation
    private double outLevel = double.PositiveInfinity;   // the levels the last computation found
    private double inLevel = double.PositiveInfinity;

    public LinkActor(int host)
    {
        this.host = host;
    }

    private sealed class Due
    {
        public static readonly Due Instance = new();
    }

    /// <summary>What changed at one moment is settled together, a tick later: one computation and one word to each other end, however many messages arrived.</summary>
    private sealed class Settle
    {
        public static readonly Settle Instance = new();
    }

    private sealed class CrashNow
    {
        public static readonly CrashNow Instance = new();
    }

    /// <summary>One stream as one end of it sees it.</summary>
    private sealed class Stream
    {
        public required int Migration;
        public required bool Outgoing;
        public required int RemoteHost;
        public double Cap = double.PositiveInfinity;
        public double RemoteLimit = double.PositiveInfinity;
        public double FabricLimit = double.PositiveInfinity;
        public double SentLimit = double.NaN;
        public int LocalStreamsMax;
        public int RemoteStreams;
        public int RemoteStreamsMax;
        public double Limit = double.PositiveInfinity;

        // The sender's side only: the pass on the wire (Transfer null between passes).
        public int Pass;
        public Transfer? Transfer;
        public IActorRef? ReplyTo;
        public long StartTicks;
        public long Bytes;
        public long NoticedEndTicks;

        public double Bound => Math.Min(Cap, Math.Min(RemoteLimit, FabricLimit));
    }

    private long Now => Context.Now.Ticks;

    protected override void PreStart()
    {
        world = SimulationWorld.Of(Context.System);
        var network = world.Scenario.Network;
        capacity = world.LinkBytesPerSecond(host);
        fair = network.Sharing == LinkSharing.Fair;
        reverseFraction = network.ReverseFraction;
        reverse = reverseFraction > 0;
        if (world.Faults.CrashTicksOf(host) is { } crashTicks) Context.ScheduleTellOnce(TimeSpan.FromTicks(crashTicks) - Context.Now, Self, CrashNow.Instance, Self);
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case StreamLimits word: OnLimits(word); break;
            case Due: OnDue(); break;
            case Settle: OnSettle(); break;
            case SendStream send: OnSend(send); break;
            case CancelStream cancel: OnCancel(cancel); break;
            case CrashNow: OnCrash(); break;
            default: return false;
        }
        Flush();
        return true;
    }

    private void OnSend(SendStream send)
    {
        if (crashed) return;
        if (send.Bytes <= 0)
        {
            send.ReplyTo.Tell(new StreamSent(send.Migration, send.Pass, 0, 0, 0, 0), Self);
            return;
        }
        if (fair && sending.TryGetValue(send.Migration, out var going))
        {
            Continue(going, send);
            return;
        }
        var stream = new Stream
        {
            Migration = send.Migration, Outgoing = true, RemoteHost = send.ToHost, Cap = send.Cap,
            // What the other end's link is, the scenario says: until it speaks, the stream may have all of it.
            RemoteLimit = world.LinkBytesPerSecond(send.ToHost),
        };
        Begin(stream, send);
        Add(stream);
        // A new stream is paced at once (and its ends told at once): it need not wait for a settling.
        if (fair) Recompute();
        else Pace(stream, Math.Min(stream.Cap, Math.Min(capacity, stream.RemoteLimit)));
        Reschedule();
    }

    private void Begin(Stream stream, SendStream send)
    {
        stream.Pass = send.Pass;
        stream.ReplyTo = send.ReplyTo;
        stream.StartTicks = Now;
        stream.Bytes = send.Bytes;
        stream.Transfer = new Transfer(send.Bytes, Now, 0);
        stream.NoticedEndTicks = send.CoveredEndTicks;
    }

    /// <summary>The migration's next pass on its connection: the share it had goes on, nothing changes on the link unless its cap does.</summary>
    private void Continue(Stream stream, SendStream send)
    {
        var capMoved = send.Cap != stream.Cap;
        Begin(stream, send);
        stream.Cap = send.Cap;
        stream.LocalStreamsMax = sending.Count;
        stream.RemoteStreamsMax = stream.RemoteStreams;
        if (capMoved) Recompute();
        else
        {
            Pace(stream, Math.Min(stream.Limit, Math.Min(stream.RemoteLimit, stream.FabricLimit)));
        }
        Reschedule();
    }

    private void OnCancel(CancelStream cancel)
    {
        if (!sending.TryGetValue(cancel.Migration, out var stream)) return;
        Remove(stream);
        if (fair)
        {
            Tell(Ended(stream));
            SettleSoon();
        }
        Reschedule();
    }

    private void OnLimits(StreamLimits word)
    {
        if (crashed || !fair) return;
        var settle = false;
        foreach (var limit in word.Limits) settle |= Apply(limit);
        if (settle) SettleSoon();
    }

    /// <summary>Takes in what another end (or the fabric) said of one stream; whether the shares here must be computed again.</summary>
    private bool Apply(StreamLimit limit)
    {
        var outgoing = limit.SourceHost == host;
        (outgoing ? sending : receiving).TryGetValue(limit.Migration, out var stream);
        if (limit.Ended && !outgoing && limit.FromHost >= 0)
        {
            if (stream is null) return false;
            Remove(stream);
            return true;
        }
        if (stream is null)
        {
            // A late word about a stream already gone is dropped; a receiver hears of a new stream from its sender's first word.
            if (outgoing || limit.FromHost < 0) return false;
            Add(new Stream { Migration = limit.Migration, Outgoing = false, RemoteHost = limit.SourceHost, RemoteLimit = limit.Limit });
            return true;
        }
        var boundWas = stream.Bound;
        if (limit.FromHost < 0) stream.FabricLimit = limit.Limit;
        else
        {
            stream.RemoteLimit = limit.Limit;
            if (outgoing)
            {
                stream.RemoteStreams = limit.Streams;
                stream.RemoteStreamsMax = Math.Max(stream.RemoteStreamsMax, limit.Streams);
            }
        }
        // Nothing to compute while the stream rose past this end's levels before and after (and nothing it was told waits to be said).
        return unsettled || !AboveLevels(stream, boundWas) || !AboveLevels(stream, stream.Bound) || Moved(stream.Limit, stream.SentLimit);
    }

    /// <summary>
    /// Whether a stream held to <paramref name="bound"/> would rise to this end's level in every
    /// direction it uses: then the bound does not enter the levels, which stay as last computed
    /// (and with them every share), so a move between two such bounds needs no computation.
    /// </summary>
    private bool AboveLevels(Stream stream, double bound)
    {
        var (outWeight, inWeight) = stream.Outgoing ? (1.0, reverseFraction) : (reverseFraction, 1.0);
        return (outWeight == 0 || (!double.IsInfinity(outLevel) && bound >= outLevel))
            && (inWeight == 0 || (!double.IsInfinity(inLevel) && bound >= inLevel));
    }

    private void SettleSoon()
    {
        unsettled = true;
        if (!Timers.IsTimerActive(Settle.Instance)) Timers.StartSingleTimer(Settle.Instance, Settle.Instance, TimeSpan.FromTicks(1));
    }

    private void OnSettle()
    {
        if (crashed || !unsettled) return;
        unsettled = false;
        Recompute();
        Reschedule();
    }

    private void OnDue()
    {
        dueTicks = long.MaxValue;
        if (crashed) return;
        var now = Now;
        for (var i = 0; i < streams.Count; i++)
        {
            var stream = streams[i];
            if (!stream.Outgoing || stream.Transfer?.EndTicks is not { } end || end > now) continue;
            stream.Transfer = null;
            // A fair connection keeps its share for the next pass until its coordinator closes it.
            if (!fair)
            {
                Remove(stream);
                i--;
            }
            stream.ReplyTo!.Tell(new StreamSent(stream.Migration, stream.Pass, stream.Bytes, now - stream.StartTicks, stream.LocalStreamsMax,
                fair ? stream.RemoteStreamsMax : 1), Self);
        }
        Reschedule();
    }

    /// <summary>
    /// The host died: its link carries nothing more. The destinations of its streams see their
    /// connections drop (as a peer's TCP does) and give the bandwidth back; the sources of streams
    /// coming here find out when their pass ends, as the coordinator checks.
    /// </summary>
    private void OnCrash()
    {
        crashed = true;
        if (fair)
        {
            foreach (var stream in streams)
            {
                if (stream.Outgoing) Tell(Ended(stream));
            }
        }
        streams.Clear();
        ordersStale = true;
        sending.Clear();
        receiving.Clear();
        Timers.CancelAll();
        dueTicks = long.MaxValue;
    }

    /// <summary>
    /// This end's fair shares, from the streams it carries held to what is known of them elsewhere;
    /// each stream's share told to the other end when it moved; each sent stream paced at the least
    /// of every limit on it. A direction that does not fill has no level: there a stream's share is
    /// its bound and what is left of the capacity (<see cref="Share"/>).
    /// </summary>
    private void Recompute()
    {
        var n = streams.Count;
        outLevel = inLevel = double.PositiveInfinity;
        if (n == 0) return;
        if (bounds.Length < n) Grow(n);
        if (ordersStale) Order(n);
        for (var i = 0; i < n; i++)
        {
            var stream = streams[i];
            bounds[i] = stream.Bound;
            if (stream.Outgoing)
            {
                outWeights[i] = 1;
                inWeights[i] = reverseFraction;
            }
            else
            {
                inWeights[i] = 1;
                outWeights[i] = reverseFraction;
            }
        }
        if (reverse)
        {
            // Every stream uses both directions: one order of them all.
            SortByBound(outOrder.AsSpan(0, n));
            outLevel = WaterLevel.Of(bounds.AsSpan(0, n), outWeights.AsSpan(0, n), outOrder.AsSpan(0, n), capacity);
            inLevel = WaterLevel.Of(bounds.AsSpan(0, n), inWeights.AsSpan(0, n), outOrder.AsSpan(0, n), capacity);
        }
        else
        {
            // A direction is filled by its own streams only (the others weigh nothing on it): each is sorted and filled on its own.
            SortByBound(outOrder.AsSpan(0, outCount));
            SortByBound(inOrder.AsSpan(0, n - outCount));
            outLevel = WaterLevel.Of(bounds.AsSpan(0, n), outWeights.AsSpan(0, n), outOrder.AsSpan(0, outCount), capacity);
            inLevel = WaterLevel.Of(bounds.AsSpan(0, n), inWeights.AsSpan(0, n), inOrder.AsSpan(0, n - outCount), capacity);
        }
        var outLeft = double.IsInfinity(outLevel) ? WaterLevel.Left(bounds.AsSpan(0, n), outWeights.AsSpan(0, n), capacity) : 0;
        var inLeft = double.IsInfinity(inLevel) ? WaterLevel.Left(bounds.AsSpan(0, n), inWeights.AsSpan(0, n), capacity) : 0;
        for (var i = 0; i < n; i++)
        {
            var stream = streams[i];
            var outS = Share(outLevel, outLeft, bounds[i], outWeights[i]);
            var inS = Share(inLevel, inLeft, bounds[i], inWeights[i]);
            // With reverse traffic every stream uses both directions: the first to fill holds it.
            var share = reverse ? Math.Min(outS, inS) : stream.Outgoing ? outS : inS;
            var sharing = stream.Outgoing ? sending.Count : receiving.Count;
            stream.LocalStreamsMax = Math.Max(stream.LocalStreamsMax, sharing);
            // What a sender tells includes the stream's own cap: the other end need not leave room it cannot use.
            var limit = stream.Outgoing ? Math.Min(share, stream.Cap) : share;
            stream.Limit = limit;
            // Told only when it matters to the other end: while both what was told and what is now
            // lie strictly above the other end's share, the stream rises to that share there either
            // way, and the other end's computation does not depend on the difference. At or below
            // it (a tie included: each end might be waiting for the other) every move is told.
            if (Moved(limit, stream.SentLimit) && !(Above(stream.SentLimit, stream.RemoteLimit) && Above(limit, stream.RemoteLimit)))
            {
                stream.SentLimit = limit;
                Tell(new StreamLimit(stream.Migration, SourceOf(stream), DestinationOf(stream), host, limit, sharing, Ended: false));
            }
            if (stream.Transfer is not null) Pace(stream, Math.Min(limit, Math.Min(stream.RemoteLimit, stream.FabricLimit)));
        }
    }

    /// <summary>A stream's share of one direction: the level where it fills, else what the stream could rise to with every other stream where it is.</summary>
    private static double Share(double level, double left, double bound, double weight) =>
        weight == 0 ? double.PositiveInfinity : !double.IsInfinity(level) ? level : bound + left / weight;

    private void Grow(int streamsAtLeast)
    {
        var length = Math.Max(streamsAtLeast, 2 * bounds.Length);
        bounds = new double[length];
        outWeights = new double[length];
        inWeights = new double[length];
        outOrder = new int[length];
        inOrder = new int[length];
        ordersStale = true;
    }

    /// <summary>The orders the streams are filled in, afresh (by position) after a stream came or went: all of them in one when every stream uses both directions, else each direction's own.</summary>
    private void Order(int n)
    {
        outCount = 0;
        var incoming = 0;
        for (var i = 0; i < n; i++)
        {
            if (reverse || streams[i].Outgoing) outOrder[outCount++] = i;
            else inOrder[incoming++] = i;
        }
        ordersStale = false;
    }

    /// <summary>
    /// Sorts stream positions by bound, ties by position, so the sums of the filling add up the same
    /// way every time. An insertion sort from the last computation's order: between two computations
    /// a few bounds move, so it does little more than look.
    /// </summary>
    private void SortByBound(Span<int> positions)
    {
        for (var k = 1; k < positions.Length; k++)
        {
            var position = positions[k];
            var bound = bounds[position];
            var at = k;
            while (at > 0 && (bounds[positions[at - 1]] > bound || (bounds[positions[at - 1]] == bound && positions[at - 1] > position)))
            {
                positions[at] = positions[at - 1];
                at--;
            }
            positions[at] = position;
        }
    }

    private void Pace(Stream stream, double rate)
    {
        var transfer = stream.Transfer!;
        // A rate that moved by rounding only is left alone: it would only move the end by a tick.
        if (!Moved(rate, transfer.Rate)) return;
        transfer.ChangeRate(Now, rate);
        if (transfer.EndTicks is { } end && end - stream.NoticedEndTicks >= EndMovedNoticeTicks)
        {
            stream.NoticedEndTicks = end;
            stream.ReplyTo!.Tell(new StreamEndMoved(stream.Migration, stream.Pass, end), Self);
        }
    }

    private void Reschedule()
    {
        var next = long.MaxValue;
        // Only a stream this end sends has a pass on the wire.
        foreach (var stream in sending.Values)
        {
            if (stream.Transfer?.EndTicks is { } end && end < next) next = end;
        }
        if (next == dueTicks) return;
        dueTicks = next;
        if (next == long.MaxValue) Timers.Cancel(Due.Instance);
        else Timers.StartSingleTimer(Due.Instance, Due.Instance, TimeSpan.FromTicks(Math.Max(0, next - Now)));
    }

    private StreamLimit Ended(Stream stream) =>
        new(stream.Migration, SourceOf(stream), DestinationOf(stream), host, 0, 0, Ended: true);

    /// <summary>To the other end, and to the fabric where there is one, with whatever else this moment has for them (<see cref="Flush"/>).</summary>
    private void Tell(StreamLimit limit) => outbox.Add(limit);

    /// <summary>What this end has to say goes out as one word to each other end (and one with all of it to the fabric), the streams in the order they were told.</summary>
    private void Flush()
    {
        if (outbox.Count == 0) return;
        world.Fabric?.Tell(new StreamLimits(outbox.ToArray()!), Self);
        var left = outbox.Count;
        while (left > 0)
        {
            var remote = -1;
            var count = 0;
            foreach (var limit in outbox)
            {
                if (limit is null) continue;
                if (remote < 0) remote = RemoteOf(limit);
                if (RemoteOf(limit) == remote) count++;
            }
            var word = new StreamLimit[count];
            var at = 0;
            for (var i = 0; i < outbox.Count; i++)
            {
                if (outbox[i] is not { } limit || RemoteOf(limit) != remote) continue;
                word[at++] = limit;
                outbox[i] = null;
            }
            left -= count;
            world.Links[remote].Tell(new StreamLimits(word), Self);
        }
        outbox.Clear();
    }

    private int RemoteOf(StreamLimit limit) => limit.SourceHost == host ? limit.DestinationHost : limit.SourceHost;

    private int SourceOf(Stream stream) => stream.Outgoing ? host : stream.RemoteHost;

    private int DestinationOf(Stream stream) => stream.Outgoing ? stream.RemoteHost : host;

    private void Add(Stream stream)
    {
        streams.Add(stream);
        ordersStale = true;
        (stream.Outgoing ? sending : receiving).Add(stream.Migration, stream);
    }

    private void Remove(Stream stream)
    {
        streams.Remove(stream);
        ordersStale = true;
        (stream.Outgoing ? sending : receiving).Remove(stream.Migration);
    }

    /// <summary>Whether <paramref name="limit"/> is above <paramref name="share"/> by more than rounding (NaN: nothing told, not above).</summary>
    private static bool Above(double limit, double share) => limit > share && Moved(limit, share);

    /// <summary>Whether <paramref name="now"/> is news against <paramref name="told"/> (NaN: nothing told yet).</summary>
    internal static bool Moved(double now, double told)
    {
        if (double.IsNaN(told)) return true;
        if (now == told) return false;
        if (double.IsInfinity(now) || double.IsInfinity(told)) return true;
        return Math.Abs(now - told) > RelativeChangeMin * Math.Max(Math.Abs(now), Math.Abs(told));
    }
}
