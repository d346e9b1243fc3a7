namespace Migration.Scenarios.Model;

/// <summary>The scenario's <c>iommu:</c> section: failures injected into <c>iommu_map_page()</c> and <c>iommu_unmap_page()</c> (seeds/000).</summary>
public sealed record IommuSpec
{
    /// <summary>That any one page call fails (0 to 1), drawn from the run's seed.</summary>
    public double FailureProbability { get; init; }

    /// <summary>Calls that fail whatever the draw, numbered from 1 per migrating domain (its backend's grant calls and its balloon's, in time order).</summary>
    public IReadOnlyList<long> FailingCalls { get; init; } = [];

    public bool InjectsFailures => FailureProbability > 0 || FailingCalls.Count > 0;
}
