using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads the scenario's <c>iommu:</c> section.</summary>
internal static class IommuReader
{
    public static readonly string[] Keys = ["failures"];

    public static readonly string[] FailureKeys = ["probability", "calls"];

    /// <summary>The section, or null when the scenario has none (or it names no failures).</summary>
    public static IommuSpec? Read(MappingReader? iommu)
    {
        var failures = iommu?.Child("failures", FailureKeys);
        return failures is null ? null : new()
        {
            FailureProbability = failures.Get<double>("probability", Units.TryParseFraction, 0),
            FailingCalls = failures.Scalars("calls", ScalarParsers.Long),
        };
    }
}
