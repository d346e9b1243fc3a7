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
/// that share moves. The sender paces the stream at the least of both ends' shares, the fabric's
/// and its own cap. The allocation settles within a few latencies of a change at the max-min
/// fair rates (what <see cref="MaxMinFairShare"/> computes with every stream in view), and a
/// pass's end follows from its rates over time, recomputed when a rate changes, never by
/// stepping time. With <c>sharing: none</c> every stream has the least of both ends' links and
/// its cap, whatever else is on them.
/// A migration's stream is one connection for all its passes, as Xen's migration stream is one TCP
/// connection: the next pass, which starts at the moment the last one ended, takes over the
/// connection's share, and only a connection that stays idle past that moment leaves the link.
/// </summary>
public sealed class LinkActor : ActorBase
{
    /// <summary>A share that moved by less than this fraction is not worth telling the other end (it keeps allocations from chattering forever over rounding).</summary>
    public const double RelativeChangeMin = 1e-9;

    /// <summary>A coordinator hears that its stream slowed only when the end moved later by at least this much.</summary>
    public static readonly long EndMovedNoticeTicks = TimeSpan.FromSeconds(1).Ticks;

    private readonly int host;
    private readonly List<Stream> streams = new();
    private double[] bounds = [];
    private double[] outWeights = [];
    private double[] inWeights = [];
    private int[] order = [];
    private SimulationWorld world = null!;
    private double capacity;
    private double reverseFraction;
    private bool fair;
    private bool reverse;
    private long dueTicks = long.MaxValue;
    private bool crashed;
    private bool settlePending;
    private bool unsettled;   // something changed since the last computation

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

        // The sender's side only: the pass on the wire (null between passes, since IdleSinceTicks).
        public int Pass;
        public long IdleSinceTicks = -1;
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
            case StreamLimit limit: OnLimit(limit); return true;
            case Due: OnDue(); return true;
            case Settle: OnSettle(); return true;
            case SendStream send: OnSend(send); return true;
            case CancelStream cancel: OnCancel(cancel); return true;
            case CrashNow: OnCrash(); return true;
            default: return false;
        }
    }

    private void OnSend(SendStream send)
    {
        if (crashed) return;
        if (send.Bytes <= 0)
        {
            send.ReplyTo.Tell(new StreamSent(send.Migration, send.Pass, 0, 0, 0, 0), Self);
            return;
        }
        var index = fair ? Find(send.Migration, outgoing: true) : -1;
        if (index >= 0)
        {
            Continue(streams[index], send);
            return;
        }
        var stream = new Stream
        {
            Migration = send.Migration, Outgoing = true, RemoteHost = send.ToHost, Cap = send.Cap,
            // What the other end's link is, the scenario says: until it speaks, the stream may have all of it.
            RemoteLimit = world.LinkBytesPerSecond(send.ToHost),
        };
        Begin(stream, send);
        streams.Add(stream);
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
        stream.NoticedEndTicks = send.ExpectedEndTicks;
        stream.IdleSinceTicks = -1;
    }

    /// <summary>The migration's next pass on its connection: the share it had goes on, nothing changes on the link unless its cap does.</summary>
    private void Continue(Stream stream, SendStream send)
    {
        var capMoved = send.Cap != stream.Cap;
        Begin(stream, send);
        stream.Cap = send.Cap;
        stream.LocalStreamsMax = 0;
        stream.RemoteStreamsMax = stream.RemoteStreams;
        if (capMoved) Recompute();
        else
        {
            foreach (var other in streams)
            {
                if (other.Outgoing) stream.LocalStreamsMax++;
            }
            Pace(stream, Math.Min(stream.Limit, Math.Min(stream.RemoteLimit, stream.FabricLimit)));
        }
        Reschedule();
    }

    private void OnCancel(CancelStream cancel)
    {
        var index = Find(cancel.Migration, outgoing: true);
        if (index < 0) return;
        var stream = streams[index];
        streams.RemoveAt(index);
        if (fair)
        {
            Tell(stream, Ended(stream));
            SettleSoon();
        }
        Reschedule();
    }

    private void OnLimit(StreamLimit limit)
    {
        if (crashed || !fair) return;
        var outgoing = limit.SourceHost == host;
        var index = Find(limit.Migration, outgoing);
        if (limit.FromHost < 0)
        {
            if (index < 0) return;
            streams[index].FabricLimit = limit.Limit;
        }
        else if (outgoing)
        {
            // The destination's word on a stream this link sends (a late one, about a stream already sent, is dropped).
            if (index < 0) return;
            var stream = streams[index];
            stream.RemoteLimit = limit.Limit;
            stream.RemoteStreams = limit.Streams;
            stream.RemoteStreamsMax = Math.Max(stream.RemoteStreamsMax, limit.Streams);
        }
        else if (limit.Ended)
        {
            if (index < 0) return;
            streams.RemoveAt(index);
        }
        else if (index >= 0)
        {
            streams[index].RemoteLimit = limit.Limit;
        }
        else
        {
            streams.Add(new Stream { Migration = limit.Migration, Outgoing = false, RemoteHost = limit.SourceHost, RemoteLimit = limit.Limit });
        }
        SettleSoon();
    }

    private void SettleSoon()
    {
        unsettled = true;
        if (!settlePending) ScheduleSettle();
    }

    private void ScheduleSettle()
    {
        settlePending = true;
        Timers.StartSingleTimer(Settle.Instance, Settle.Instance, TimeSpan.FromTicks(1));
    }

    private void OnSettle()
    {
        settlePending = false;
        if (crashed) return;
        var now = Now;
        for (var i = 0; i < streams.Count; i++)
        {
            var stream = streams[i];
            if (stream.IdleSinceTicks < 0) continue;
            if (stream.IdleSinceTicks == now)
            {
                // Its pass ended this very moment: the next may yet start now.
                if (!settlePending) ScheduleSettle();
                continue;
            }
            streams.RemoveAt(i--);
            Tell(stream, Ended(stream));
            unsettled = true;
        }
        if (!unsettled) return;
        unsettled = false;
        Recompute();
        Reschedule();
    }

    private void OnDue()
    {
        dueTicks = long.MaxValue;
        if (crashed) return;
        var now = Now;
        var ended = false;
        for (var i = 0; i < streams.Count; i++)
        {
            var stream = streams[i];
            if (!stream.Outgoing || stream.Transfer?.EndTicks is not { } end || end > now) continue;
            ended = true;
            stream.Transfer = null;
            // The connection stays for the next pass, if it starts now; else it goes at the settling.
            if (fair) stream.IdleSinceTicks = now;
            else streams.RemoveAt(i--);
            stream.ReplyTo!.Tell(new StreamSent(stream.Migration, stream.Pass, stream.Bytes, now - stream.StartTicks, stream.LocalStreamsMax,
                fair ? stream.RemoteStreamsMax : 1), Self);
        }
        // Only to see whether each connection goes on: nothing on the link changed yet.
        if (ended && fair && !settlePending) ScheduleSettle();
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
                if (stream.Outgoing) Tell(stream, Ended(stream));
            }
        }
        streams.Clear();
        Timers.CancelAll();
        dueTicks = long.MaxValue;
        settlePending = false;
    }

    /// <summary>
    /// This end's fair shares, from the streams it carries held to what is known of them elsewhere;
    /// each stream's share told to the other end when it moved; each sent stream paced at the least
    /// of every limit on it.
    /// </summary>
    private void Recompute()
    {
        var n = streams.Count;
        if (n == 0) return;
        if (bounds.Length < n) Grow(n);
        int outgoing = 0, incoming = 0;
        for (var i = 0; i < n; i++)
        {
            var stream = streams[i];
            bounds[i] = stream.Bound;
            // Insertion sort by bound, stable: ties keep the streams' order, so the sums below add up the same way every time.
            var at = i;
            while (at > 0 && bounds[order[at - 1]] > bounds[i])
            {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = i;
            if (stream.Outgoing)
            {
                outWeights[i] = 1;
                inWeights[i] = reverseFraction;
                outgoing++;
            }
            else
            {
                inWeights[i] = 1;
                outWeights[i] = reverseFraction;
                incoming++;
            }
        }
        var outLevel = WaterLevel.Of(bounds.AsSpan(0, n), outWeights.AsSpan(0, n), order.AsSpan(0, n), capacity);
        var inLevel = WaterLevel.Of(bounds.AsSpan(0, n), inWeights.AsSpan(0, n), order.AsSpan(0, n), capacity);
        // With reverse traffic every stream uses both directions: the first to fill holds them all.
        var outShare = reverse ? Math.Min(outLevel, inLevel) : outLevel;
        var inShare = reverse ? outShare : inLevel;
        foreach (var stream in streams)
        {
            var share = stream.Outgoing ? outShare : inShare;
            var sharing = stream.Outgoing ? outgoing : incoming;
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
                Tell(stream, new StreamLimit(stream.Migration, SourceOf(stream), DestinationOf(stream), host, limit, sharing, Ended: false));
            }
            if (stream.Transfer is not null) Pace(stream, Math.Min(limit, Math.Min(stream.RemoteLimit, stream.FabricLimit)));
        }
    }

    private void Grow(int streamsAtLeast)
    {
        var length = Math.Max(streamsAtLeast, 2 * bounds.Length);
        bounds = new double[length];
        outWeights = new double[length];
        inWeights = new double[length];
        order = new int[length];
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
        foreach (var stream in streams)
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

    /// <summary>To the other end, and to the fabric where there is one.</summary>
    private void Tell(Stream stream, StreamLimit limit)
    {
        world.Links[stream.RemoteHost].Tell(limit, Self);
        world.Fabric?.Tell(limit, Self);
    }

    private int SourceOf(Stream stream) => stream.Outgoing ? host : stream.RemoteHost;

    private int DestinationOf(Stream stream) => stream.Outgoing ? stream.RemoteHost : host;

    private int Find(int migration, bool outgoing)
    {
        for (var i = 0; i < streams.Count; i++)
        {
            var stream = streams[i];
            if (stream.Migration == migration && stream.Outgoing == outgoing) return i;
        }
        return -1;
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
