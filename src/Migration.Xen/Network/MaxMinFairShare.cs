namespace Migration.Xen.Network;

/// <summary>A stream's use of a resource: it takes <see cref="Weight"/> times its rate of it (1 forward, a fraction for acknowledgements).</summary>
public readonly record struct ResourceUse(int Resource, double Weight);

/// <summary>What <see cref="MaxMinFairShare.Solve"/> found.</summary>
/// <param name="Rates">Each stream's rate.</param>
/// <param name="Levels">
/// Each resource's fair share: the rate at which it filled (every stream it held back has that
/// rate), or +infinity if it never filled. A stream new to the resource, limited nowhere else,
/// would get about this much.
/// </param>
public sealed record FairShare(double[] Rates, double[] Levels);

/// <summary>
/// Bandwidth shared among streams by max-min fairness, as SimGrid's flow model (and TCP, roughly)
/// shares a link: progressive filling. Every stream's rate rises together until a resource it
/// uses is full or the stream reaches its own cap; those streams are fixed, the capacity they
/// take is removed, and the rest rise on. No stream can get more without taking from one that
/// has less. Pure and deterministic: the same inputs give the same rates, bit for bit, on any
/// machine (the same operations in the same order).
/// </summary>
public static class MaxMinFairShare
{
    /// <summary>A resource counts as full when what is left of it is below this share of its capacity.</summary>
    public const double FullBelow = 1e-12;

    /// <summary>The rate of every stream, each using its resources with weight 1.</summary>
    /// <param name="capacities">Each resource's capacity (bytes per second, say); positive.</param>
    /// <param name="resourcesOf">For each stream, the resources it uses (a link, each end's link...).</param>
    /// <param name="caps">For each stream, the most it can take whatever the links (its sender's own limit); null for none.</param>
    public static double[] Allocate(IReadOnlyList<double> capacities, IReadOnlyList<IReadOnlyList<int>> resourcesOf, IReadOnlyList<double>? caps = null)
    {
        ArgumentNullException.ThrowIfNull(resourcesOf);
        var uses = new ResourceUse[resourcesOf.Count][];
        for (var s = 0; s < uses.Length; s++) uses[s] = resourcesOf[s].Select(r => new ResourceUse(r, 1)).ToArray();
        return Solve(capacities, uses, caps).Rates;
    }

    /// <summary>Every stream's rate and every resource's fair share, streams using resources with weights.</summary>
    /// <param name="capacities">Each resource's capacity; positive and finite.</param>
    /// <param name="usesOf">For each stream, the resources it uses and how much of each per unit of its rate (weight in (0, 1]).</param>
    /// <param name="caps">For each stream, the most it can take whatever the resources; null for none.</param>
    public static FairShare Solve(IReadOnlyList<double> capacities, IReadOnlyList<IReadOnlyList<ResourceUse>> usesOf, IReadOnlyList<double>? caps = null)
    {
        ArgumentNullException.ThrowIfNull(capacities);
        ArgumentNullException.ThrowIfNull(usesOf);
        if (caps is not null && caps.Count != usesOf.Count)
            throw new ArgumentException($"{caps.Count} caps for {usesOf.Count} streams", nameof(caps));
        for (var r = 0; r < capacities.Count; r++)
        {
            if (!(capacities[r] > 0) || double.IsInfinity(capacities[r]))
                throw new ArgumentOutOfRangeException(nameof(capacities), capacities[r], $"resource {r}: a capacity must be positive and finite");
        }
        var streams = usesOf.Count;
        var rates = new double[streams];
        var fixedRate = new bool[streams];
        var left = capacities.ToArray();
        var levels = new double[capacities.Count];
        Array.Fill(levels, double.PositiveInfinity);
        var weightRising = new double[capacities.Count];
        var usersRising = new int[capacities.Count];
        for (var s = 0; s < streams; s++)
        {
            var uses = usesOf[s];
            if (uses.Count == 0 && (caps is null || double.IsPositiveInfinity(caps[s])))
                throw new ArgumentException($"stream {s} uses no resource and has no cap: its rate would be unbounded", nameof(usesOf));
            if (caps is not null && !(caps[s] >= 0))
                throw new ArgumentOutOfRangeException(nameof(caps), caps[s], $"stream {s}: a cap must not be negative");
            foreach (var use in uses)
            {
                if (use.Resource < 0 || use.Resource >= capacities.Count)
                    throw new ArgumentOutOfRangeException(nameof(usesOf), use.Resource, $"stream {s} uses resource {use.Resource}, which does not exist");
                if (!(use.Weight > 0 && use.Weight <= 1))
                    throw new ArgumentOutOfRangeException(nameof(usesOf), use.Weight, $"stream {s}: a weight is in (0, 1]");
                weightRising[use.Resource] += use.Weight;
                usersRising[use.Resource]++;
            }
        }
        var rising = streams;
        var level = 0.0;
        while (rising > 0)
        {
            // How far every rising stream can rise together: until the first resource fills or the first cap is reached.
            var step = double.PositiveInfinity;
            for (var r = 0; r < left.Length; r++)
            {
                if (usersRising[r] > 0) step = Math.Min(step, Math.Max(left[r], 0) / weightRising[r]);
            }
            for (var s = 0; s < streams; s++)
            {
                if (!fixedRate[s] && caps is not null) step = Math.Min(step, caps[s] - rates[s]);
            }
            step = Math.Max(step, 0);
            level += step;
            for (var s = 0; s < streams; s++)
            {
                if (fixedRate[s]) continue;
                rates[s] += step;
                foreach (var use in usesOf[s]) left[use.Resource] -= step * use.Weight;
            }
            for (var r = 0; r < left.Length; r++)
            {
                if (usersRising[r] > 0 && left[r] <= capacities[r] * FullBelow && double.IsPositiveInfinity(levels[r])) levels[r] = level;
            }
            // Fix the streams that cannot rise any more: a full resource, or their cap.
            for (var s = 0; s < streams; s++)
            {
                if (fixedRate[s]) continue;
                var stuck = caps is not null && rates[s] >= caps[s];
                foreach (var use in usesOf[s]) stuck |= left[use.Resource] <= capacities[use.Resource] * FullBelow;
                if (!stuck) continue;
                fixedRate[s] = true;
                rising--;
                foreach (var use in usesOf[s])
                {
                    weightRising[use.Resource] -= use.Weight;
                    usersRising[use.Resource]--;
                }
            }
        }
        return new FairShare(rates, levels);
    }
}
