using Migration.Scenarios.Model;
using Migration.Xen.Iommu;

namespace Migration.Scenarios.Loading;

/// <summary>Reads the scenario's <c>iommu:</c> section.</summary>
internal static class IommuReader
{
    public static readonly string[] Keys = ["failures", "invalidation", "translation-faults", "set-entry-rollback"];

    public static readonly string[] FailureKeys = ["probability", "calls"];

    /// <summary>The section, or null when the scenario has none (or it names neither failures nor an invalidation mode).</summary>
    public static IommuSpec? Read(MappingReader? iommu)
    {
        var failures = iommu?.Child("failures", FailureKeys);
        InvalidationMode? invalidation = iommu is not null && iommu.TryRead("invalidation", ScalarParsers.Invalidation, out var mode) ? mode : null;
        TranslationFaultMode? faults = iommu is not null && iommu.TryRead("translation-faults", ScalarParsers.TranslationFaults, out var faultMode) ? faultMode : null;
        SetEntryRollback? setEntry = iommu is not null && iommu.TryRead("set-entry-rollback", ScalarParsers.SetEntryRollback, out var rollback) ? rollback : null;
        if (failures is null && invalidation is null && faults is null && setEntry is null) return null;
        return new()
        {
            FailureProbability = failures?.Get<double>("probability", Units.TryParseFraction, 0) ?? 0,
            FailingCalls = failures?.Scalars("calls", ScalarParsers.Long) ?? [],
            Invalidation = invalidation,
            TranslationFaults = faults,
            SetEntryRollback = setEntry,
        };
    }
}
