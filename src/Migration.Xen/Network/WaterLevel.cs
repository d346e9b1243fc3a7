namespace Migration.Xen.Network;

/// <summary>
/// One resource's fair share, the way progressive filling finds it, in one pass over the streams
/// sorted by their bounds: every stream rises together, each stops at its own bound (what it may
/// have elsewhere), and the level at which the resource fills is its share. The same level
/// <see cref="MaxMinFairShare.Solve"/> reports for a resource whose streams are bounded nowhere else
/// in the problem; this is the form a link's end computes at every change, without allocating.
/// </summary>
public static class WaterLevel
{
    /// <summary>The level at which <paramref name="capacity"/> fills, or +infinity if every stream stops below it.</summary>
    /// <param name="bounds">Each stream's bound (+infinity: none).</param>
    /// <param name="weights">How much of the resource each stream takes per unit of its rate (0: it does not use it).</param>
    /// <param name="order">The streams' indices in ascending order of bound.</param>
    /// <param name="capacity">Positive.</param>
    public static double Of(ReadOnlySpan<double> bounds, ReadOnlySpan<double> weights, ReadOnlySpan<int> order, double capacity)
    {
        var rising = 0.0;
        foreach (var i in order) rising += weights[i];
        var used = 0.0;
        foreach (var i in order)
        {
            var weight = weights[i];
            if (weight == 0) continue;
            var bound = bounds[i];
            // Every stream still rising reaches this bound together: does the resource fill first?
            if (used + rising * bound >= capacity) return (capacity - used) / rising;
            used += weight * bound;
            rising -= weight;
        }
        return double.PositiveInfinity;
    }

    /// <summary>What of <paramref name="capacity"/> is left with every stream at its bound.</summary>
    public static double Left(ReadOnlySpan<double> bounds, ReadOnlySpan<double> weights, double capacity)
    {
        var used = 0.0;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (weights[i] != 0) used += weights[i] * bounds[i];
        }
        return Math.Max(0, capacity - used);
    }
}
