using Migration.Actors;
using Migration.Simulation.Messages;
using Migration.Simulation.World;
using Migration.Xen.Network;

namespace Migration.Simulation.Actors;

/// <summary>
/// The fabric between the hosts where the scenario limits it (<c>network.fabric</c>): one capacity
/// every stream crosses. It hears each stream's limits from both ends, as they change, computes
/// its fair share over the streams it carries (each held to the least its ends allow) and tells
/// both ends when that share moves, one word to each link end whatever the number of streams. It is simulated on host 0: what it hears and says takes the
/// link's latency like any message between hosts.
/// </summary>
public sealed class FabricActor : ActorBase
{
    /// <summary>The host the fabric is simulated on.</summary>
    public const int Host = 0;

    private static readonly ResourceUse[] Crossing = [new(0, 1)];

    private readonly double[] capacity;
    private readonly List<Stream> streams = new();
    private readonly List<IReadOnlyList<ResourceUse>> usesOf = new();
    private readonly List<double> bounds = new();
    private SimulationWorld world = null!;

    public FabricActor(double bytesPerSecond)
    {
        capacity = [bytesPerSecond];
    }

    private sealed class Stream
    {
        public required int Migration;
        public required int SourceHost;
        public required int DestinationHost;
        public double SourceLimit = double.PositiveInfinity;
        public double DestinationLimit = double.PositiveInfinity;
        public double SentLimit = double.NaN;
    }

    protected override void PreStart() => world = SimulationWorld.Of(Context.System);

    protected override bool Receive(object message)
    {
        if (message is not StreamLimits word) return false;
        var changed = false;
        foreach (var limit in word.Limits) changed |= Take(limit);
        if (changed) Recompute();
        return true;
    }

    /// <summary>Takes in one end's word on one stream; whether anything the fabric computes from changed.</summary>
    private bool Take(StreamLimit limit)
    {
        var index = streams.FindIndex(s => s.Migration == limit.Migration);
        var fromSource = limit.FromHost == limit.SourceHost;
        if (limit.Ended)
        {
            if (index < 0) return false;
            streams.RemoveAt(index);
        }
        else if (index >= 0)
        {
            if (fromSource) streams[index].SourceLimit = limit.Limit;
            else streams[index].DestinationLimit = limit.Limit;
        }
        else if (fromSource)
        {
            // Only the source opens a stream here (a destination's word that arrives after the source closed it is stale).
            streams.Add(new Stream { Migration = limit.Migration, SourceHost = limit.SourceHost, DestinationHost = limit.DestinationHost, SourceLimit = limit.Limit });
        }
        else
        {
            return false;
        }
        return true;
    }

    private void Recompute()
    {
        if (streams.Count == 0) return;
        usesOf.Clear();
        bounds.Clear();
        foreach (var stream in streams)
        {
            usesOf.Add(Crossing);
            bounds.Add(Math.Min(stream.SourceLimit, stream.DestinationLimit));
        }
        var share = MaxMinFairShare.Solve(capacity, usesOf, bounds).Levels[0];
        // One word to each link end, the streams in the fabric's order.
        var words = new SortedDictionary<int, List<StreamLimit>>();
        foreach (var stream in streams)
        {
            if (!LinkActor.Moved(share, stream.SentLimit)) continue;
            stream.SentLimit = share;
            var told = new StreamLimit(stream.Migration, stream.SourceHost, stream.DestinationHost, -1, share, streams.Count, Ended: false);
            foreach (var end in (ReadOnlySpan<int>)[stream.SourceHost, stream.DestinationHost])
            {
                if (!words.TryGetValue(end, out var word)) words.Add(end, word = new List<StreamLimit>());
                word.Add(told);
            }
        }
        foreach (var (end, word) in words) world.Links[end].Tell(new StreamLimits(word.ToArray()), Self);
    }
}
