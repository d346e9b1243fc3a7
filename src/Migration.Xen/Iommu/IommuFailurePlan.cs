namespace Migration.Xen.Iommu;

/// <summary>
/// Which of a sequence of <c>iommu_map_page()</c> and <c>iommu_unmap_page()</c> calls fail (the
/// simulation keeps one per migration of a domain: its grants' and balloon's calls): each with a
/// probability drawn from the seed, and the calls named by number (the first call is 1). Calls are
/// counted per page, in the sequence's order, so a run fails the same calls every time.
/// </summary>
public sealed class IommuFailurePlan
{
    private readonly double probability;
    private readonly HashSet<long> failingCalls;
    private readonly ulong seed;

    /// <summary>A plan where no call fails.</summary>
    public static IommuFailurePlan None => new(0, [], 0);

    /// <param name="probability">That a call fails, 0 to 1.</param>
    /// <param name="failingCalls">Numbers of calls that fail whatever the draw (1 or more).</param>
    /// <param name="seed">The stream the draws come from (derived from the run's seed, the domain and the migration).</param>
    public IommuFailurePlan(double probability, IEnumerable<long> failingCalls, ulong seed)
    {
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability is 0 to 1");
        ArgumentNullException.ThrowIfNull(failingCalls);
        this.failingCalls = new HashSet<long>(failingCalls);
        if (this.failingCalls.Any(call => call < 1)) throw new ArgumentOutOfRangeException(nameof(failingCalls), "calls are numbered from 1");
        this.probability = probability;
        this.seed = seed;
    }

    /// <summary>Calls made so far.</summary>
    public long Calls { get; private set; }

    /// <summary>Calls that failed so far.</summary>
    public long Failures { get; private set; }

    /// <summary>Counts one more call; whether it fails.</summary>
    public bool NextFails()
    {
        Calls++;
        var fails = failingCalls.Contains(Calls) || (probability > 0 && SplitMix.Unit(SplitMix.At(seed, (ulong)Calls)) < probability);
        if (fails) Failures++;
        return fails;
    }
}
