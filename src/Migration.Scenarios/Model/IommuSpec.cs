using Migration.Xen.Iommu;

namespace Migration.Scenarios.Model;

/// <summary>
/// The scenario's <c>iommu:</c> section: failures injected into <c>iommu_map_page()</c> and
/// <c>iommu_unmap_page()</c> (seeds/000), and how Device-TLB invalidations are waited for (seeds/004, seeds/001).
/// </summary>
public sealed record IommuSpec
{
    /// <summary>How the hypervisor waits for a Device-TLB flush; null: Xen's today (<see cref="InvalidationMode.Spin"/>). Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public InvalidationMode? Invalidation { get; init; }

    /// <summary>What the IOMMU does with a DMA transaction it cannot translate; null: terminate (VT-d, AMD-Vi, the IPMMU). Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public TranslationFaultMode? TranslationFaults { get; init; }

    /// <summary>
    /// What <c>ept_set_entry()</c> and <c>p2m_pt_set_entry()</c> do when a page fails to map at their
    /// end (seeds/000 items 9 and 10); null: Xen's (<see cref="Migration.Xen.Iommu.SetEntryRollback.Xen"/>). Left out of the digest when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public SetEntryRollback? SetEntryRollback { get; init; }

    /// <summary>
    /// The most calls drawn to find a domain's next failing one (and so the highest call number that
    /// may be listed): past it the simulation stops looking.
    /// </summary>
    public const long CallsScannedMax = 10_000_000;

    /// <summary>The smallest probability above 0: below it the next failure would mostly lie past <see cref="CallsScannedMax"/> calls.</summary>
    public const double ProbabilityMin = 1e-6;

    /// <summary>That any one page call fails (0 to 1), drawn from the run's seed.</summary>
    public double FailureProbability { get; init; }

    /// <summary>Calls that fail whatever the draw, numbered from 1 per migrating domain (its backend's grant calls and its balloon's, in time order).</summary>
    public IReadOnlyList<long> FailingCalls { get; init; } = [];

    public bool InjectsFailures => FailureProbability > 0 || FailingCalls.Count > 0;
}
