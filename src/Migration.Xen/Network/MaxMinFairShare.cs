namespace Migration.Xen.Network;

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

    /// <summary>The rate of every stream.</summary>
    /// <param name="capacities">Each resource's capacity (bytes per second, say); positive.</param>
    /// <param name="resourcesOf">For each stream, the resources it uses (a link, each end's link...).</param>
    /// <param name="caps">For each stream, the most it can take whatever the links (its sender's own limit); null for none.</param>
    public static double[] Allocate(IReadOnlyList<double> capacities, IReadOnlyList<IReadOnlyList<int>> resourcesOf, IReadOnlyList<double>? caps = null)
    {
        ArgumentNullException.ThrowIfNull(capacities);
        ArgumentNullException.ThrowIfNull(resourcesOf);
        if (caps is not null && caps.Count != resourcesOf.Count)
            throw new ArgumentException($"{caps.Count} caps for {resourcesOf.Count} streams", nameof(caps));
        for (var r = 0; r < capacities.Count; r++)
        {
            if (!(capacities[r] > 0) || double.IsInfinity(capacities[r]))
                throw new ArgumentOutOfRangeException(nameof(capacities), capacities[r], $"resource {r}: a capacity must be positive and finite");
        }
        var streams = resourcesOf.Count;
        var rates = new double[streams];
        var fixedRate = new bool[streams];
        var left = capacities.ToArray();
        var users = new int[capacities.Count];
        for (var s = 0; s < streams; s++)
        {
            var resources = resourcesOf[s];
            if (resources.Count == 0 && (caps is null || double.IsPositiveInfinity(caps[s])))
                throw new ArgumentException($"stream {s} uses no resource and has no cap: its rate would be unbounded", nameof(resourcesOf));
            if (caps is not null && !(caps[s] >= 0))
                throw new ArgumentOutOfRangeException(nameof(caps), caps[s], $"stream {s}: a cap must not be negative");
            foreach (var r in resources)
            {
                if (r < 0 || r >= capacities.Count) throw new ArgumentOutOfRangeException(nameof(resourcesOf), r, $"stream {s} uses resource {r}, which does not exist");
                users[r]++;
            }
        }
        var rising = streams;
        while (rising > 0)
        {
            // How far every rising stream can rise together: until the first resource fills or the first cap is reached.
            var step = double.PositiveInfinity;
            for (var r = 0; r < left.Length; r++)
            {
                if (users[r] > 0) step = Math.Min(step, left[r] / users[r]);
            }
            for (var s = 0; s < streams; s++)
            {
                if (!fixedRate[s] && caps is not null) step = Math.Min(step, caps[s] - rates[s]);
            }
            step = Math.Max(step, 0);
            for (var s = 0; s < streams; s++)
            {
                if (fixedRate[s]) continue;
                rates[s] += step;
                foreach (var r in resourcesOf[s]) left[r] -= step;
            }
            // Fix the streams that cannot rise any more: a full resource, or their cap.
            for (var s = 0; s < streams; s++)
            {
                if (fixedRate[s]) continue;
                var stuck = caps is not null && rates[s] >= caps[s];
                foreach (var r in resourcesOf[s]) stuck |= left[r] <= capacities[r] * FullBelow;
                if (!stuck) continue;
                fixedRate[s] = true;
                rising--;
                foreach (var r in resourcesOf[s]) users[r]--;
            }
        }
        return rates;
    }
}
