using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Running;

/// <summary>What a run varies beside its scenario: the policy, the toolstack, the seed.</summary>
public sealed record RunOptions
{
    public VetoPolicy Policy { get; init; } = VetoPolicy.HasDevices;

    /// <summary>Every host runs this toolstack; null keeps each host's own.</summary>
    public ToolstackKind? Toolstack { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>How the engine executes the hosts; the results and hash are the same either way.</summary>
    public Migration.Actors.ExecutionMode Mode { get; init; } = Migration.Actors.ExecutionMode.Sequential;

    /// <summary>Overrides the scenario's pre-copy policy when set.</summary>
    public PreCopyPolicyKind? PreCopy { get; init; }

    /// <summary>Overrides the scenario's invalidation mode (<c>iommu.invalidation</c>) when set.</summary>
    public Migration.Xen.Iommu.InvalidationMode? Invalidation { get; init; }

    /// <summary>Overrides every ATS device's Device-TLB flush latency (<c>flush</c>) when set.</summary>
    public TimeSpan? Flush { get; init; }

    /// <summary>Overrides the scenario's altp2m sharing rules (<c>altp2m</c>) when set.</summary>
    public Migration.Xen.Sharing.Altp2mSharingMode? Altp2m { get; init; }

    /// <summary>The name of the altp2m override, or "" for none (what the wire messages carry).</summary>
    public string Altp2mName => Altp2m is { } rules ? Migration.Xen.Names.Of(rules) : "";

    /// <summary>The name of the invalidation override, or "" for none (what the wire messages carry).</summary>
    public string InvalidationName => Invalidation is { } mode ? Migration.Xen.Names.Of(mode) : "";

    /// <summary>
    /// These options with the overrides named as the wire messages and the journal carry them ("" and
    /// a negative tick count: none); bad names are <see cref="InvalidDataException"/>.
    /// </summary>
    public RunOptions WithOverrides(string invalidation, long flushTicks, string altp2m)
    {
        Migration.Xen.Sharing.Altp2mSharingMode? rules = null;
        if (altp2m.Length > 0)
            rules = Migration.Xen.Names.TryParse(altp2m, out Migration.Xen.Sharing.Altp2mSharingMode named) ? named : throw new InvalidDataException($"unknown altp2m sharing mode '{altp2m}'");
        Migration.Xen.Iommu.InvalidationMode? mode = null;
        if (invalidation.Length > 0)
            mode = Migration.Xen.Names.TryParse(invalidation, out Migration.Xen.Iommu.InvalidationMode parsed) ? parsed : throw new InvalidDataException($"unknown invalidation mode '{invalidation}'");
        if (flushTicks > Migration.Xen.Iommu.InvalidationModes.AtsFlushMax.Ticks) throw new InvalidDataException($"a flush latency of {TimeSpan.FromTicks(flushTicks)} is past the ATS limit");
        return this with { Invalidation = mode, Flush = flushTicks >= 0 ? TimeSpan.FromTicks(flushTicks) : null, Altp2m = rules };
    }

    /// <summary>
    /// Counterfactual runs: the migrations (by index) whose first refusal is waived, to see what would
    /// have happened without it.
    /// </summary>
    public IReadOnlySet<int> Waive { get; init; } = new HashSet<int>();

    /// <summary>Migrations (by index) a counterfactual run found would have completed cleanly: their veto was needless.</summary>
    public IReadOnlySet<int> Needless { get; init; } = new HashSet<int>();
}
