namespace Migration.Xen.Iommu;

/// <summary>What <c>migration</c> calls an invalidation mode, and where it comes from.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Name">Its name on the command line and in scenario files.</param>
/// <param name="Origin">The Xen versions that did this, or the thread that proposed it.</param>
/// <param name="Summary">What it does, in a sentence.</param>
public sealed record InvalidationModeInfo(InvalidationMode Mode, string Name, string Origin, string Summary);
