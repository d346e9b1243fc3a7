using Migration.Actors;

namespace Migration.Simulation.Messages;

// Between a migration coordinator and its host's link, and between the links (and the fabric):
// the streams of migration passes and the max-min fair allocation of their rates.

/// <summary>
/// Coordinator to its host's link: put pass <paramref name="Pass"/> of migration <paramref name="Migration"/>
/// (<paramref name="Bytes"/> bytes) on the wire to <paramref name="ToHost"/>, at most at <paramref name="Cap"/>
/// bytes/s (+infinity: no limit of its own). The link answers <see cref="StreamSent"/>, and
/// <see cref="StreamEndMoved"/> whenever the stream's end moves <see cref="Actors.LinkActor.EndMovedNoticeTicks"/>
/// or more past the last end the destination's lease was kept for (<paramref name="CoveredEndTicks"/> at first).
/// </summary>
public sealed record SendStream(int Migration, int Pass, long Bytes, int ToHost, double Cap, long CoveredEndTicks, IActorRef ReplyTo);

/// <summary>Coordinator to its host's link: close the migration's connection (its final pass is through, or the migration ended), on the wire or between passes; its share goes back to the others.</summary>
public sealed record CancelStream(int Migration);

/// <summary>The link to the coordinator: the stream's last byte is sent.</summary>
/// <param name="SourceStreamsMax">The most streams that left the source's link at once during the pass (this one counted).</param>
/// <param name="DestinationStreamsMax">The most streams entering the destination's link at once during the pass, as the destination told.</param>
public sealed record StreamSent(int Migration, int Pass, long Bytes, long DurationTicks, int SourceStreamsMax, int DestinationStreamsMax)
{
    /// <summary>Bytes per second over the pass, or 0 for an empty one.</summary>
    public double MeanBytesPerSecond => DurationTicks > 0 ? Bytes * (double)TimeSpan.TicksPerSecond / DurationTicks : 0;
}

/// <summary>The link to the coordinator: the stream slowed; its last byte will now be sent at <paramref name="EndTicks"/>.</summary>
public sealed record StreamEndMoved(int Migration, int Pass, long EndTicks);

/// <summary>
/// Between the ends of a migration's stream (and the fabric): the most the stream may have where
/// <paramref name="FromHost"/> is (-1: the fabric) as that end now computes it, and how many
/// streams share that end in the stream's direction. The source's first one opens the stream at
/// the other end; <paramref name="Ended"/> closes it. A stream is the migration's connection,
/// whichever pass is on it.
/// </summary>
public sealed record StreamLimit(int Migration, int SourceHost, int DestinationHost, int FromHost, double Limit, int Streams, bool Ended);

/// <summary>
/// One end's word to the other end: what it now says of each stream between them whose limit
/// moved (or which it opens or closes), in the order it found them. One message however many
/// streams the two ends share.
/// </summary>
public sealed record StreamLimits(IReadOnlyList<StreamLimit> Limits);
