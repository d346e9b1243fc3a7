namespace Migration.Xen.Iommu;

/// <summary>
/// One domain's P2M and IOMMU mappings, as the IOMMU's callers leave them: every page of the
/// domain's memory starts mapped in both, every page above it in neither, and only the pages a call
/// changed are stored (so a domain of any size costs what its calls touched).
/// </summary>
public sealed class DomainMappings
{
    private readonly Dictionary<long, (bool P2m, bool Iommu)> changed = new();

    /// <param name="memoryPages">The domain's memory in pages: gfns 0 to <paramref name="memoryPages"/> - 1 start mapped.</param>
    public DomainMappings(long memoryPages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memoryPages);
        MemoryPages = memoryPages;
    }

    public long MemoryPages { get; }

    public bool P2mMaps(long gfn) => Entry(gfn).P2m;

    public bool IommuMaps(long gfn) => Entry(gfn).Iommu;

    /// <summary>How many pages' two views differ (kept as pages change, not counted).</summary>
    public long DisagreementCount { get; private set; }

    /// <summary>Pages whose two views differ, in gfn order: none unless a failed call left some.</summary>
    public IReadOnlyList<PageDisagreement> Disagreements() =>
        changed.Where(entry => entry.Value.P2m != entry.Value.Iommu)
            .OrderBy(entry => entry.Key)
            .Select(entry => new PageDisagreement(entry.Key, entry.Value.P2m, entry.Value.Iommu))
            .ToArray();

    internal void SetP2m(long gfn, bool mapped) => Set(gfn, (mapped, Entry(gfn).Iommu));

    internal void SetIommu(long gfn, bool mapped) => Set(gfn, (Entry(gfn).P2m, mapped));

    private (bool P2m, bool Iommu) Entry(long gfn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gfn);
        if (changed.TryGetValue(gfn, out var entry)) return entry;
        var initially = gfn < MemoryPages;
        return (initially, initially);
    }

    // A page back where it started is forgotten: what is stored stays what calls left different.
    private void Set(long gfn, (bool P2m, bool Iommu) entry)
    {
        var initially = gfn < MemoryPages;
        var was = Entry(gfn);
        DisagreementCount += (entry.P2m != entry.Iommu ? 1 : 0) - (was.P2m != was.Iommu ? 1 : 0);
        if (entry.P2m == initially && entry.Iommu == initially) changed.Remove(gfn);
        else changed[gfn] = entry;
    }
}
