namespace Migration.Xen.Iommu;

/// <summary>A page the domain's P2M and its IOMMU tables disagree on (after a failed call that did not roll back all of itself).</summary>
/// <param name="Gfn">The page.</param>
/// <param name="P2mMaps">Whether the CPU's view maps it.</param>
/// <param name="IommuMaps">Whether a device can reach it.</param>
public readonly record struct PageDisagreement(long Gfn, bool P2mMaps, bool IommuMaps)
{
    /// <summary>What the disagreement lets happen.</summary>
    public string Consequence => IommuMaps
        ? "a device can still reach a page the domain's P2M no longer maps (DMA to a page that may be freed and reused)"
        : "the P2M maps a page no device can reach (DMA to it faults)";
}
