namespace Migration.Scenarios.Model;

/// <summary>
/// What a domain's I/O and balloon ask of the IOMMU while it migrates (seeds/000's callers, as a host
/// exercises them during pre-copy): its backend in the hardware domain maps and unmaps its grants;
/// its balloon gives pages back to Xen and takes them again. Zero: nothing.
/// </summary>
public sealed record IoSpec
{
    /// <summary>The smallest rate above 0 (one a quarter of an hour or so): below it no call falls within a run.</summary>
    public const double PerSecondMin = 0.001;

    /// <summary>The largest rate: beyond it a run would spend its time drawing calls.</summary>
    public const double PerSecondMax = 1_000_000;

    /// <summary>Grants the backend maps and then unmaps per second (<c>__gnttab_map_grant_ref()</c>, <c>__gnttab_unmap_common()</c>, on the hardware domain's IOMMU context).</summary>
    public double GrantsPerSecond { get; init; }

    /// <summary>Pages the balloon frees and populates again per second: each P2M update unmaps, then maps, the page in the domain's own IOMMU context (<c>ept_set_entry()</c> or <c>p2m_pt_set_entry()</c>; nothing with shared page tables).</summary>
    public double BalloonPagesPerSecond { get; init; }

    /// <summary>
    /// Pages the guest's frontend gives its backend per second with <c>gnttab_transfer()</c> (page
    /// flipping), each replaced by a page flipped back: the page leaves the guest's P2M and IOMMU
    /// context as a balloon page does, and is then the hardware domain's. Left out of the digest when 0.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double TransfersPerSecond { get; init; }

    /// <summary>Pages leaving the guest per second: the balloon's and the transfers'.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double PagesLeavingPerSecond => BalloonPagesPerSecond + TransfersPerSecond;

    public bool Any => GrantsPerSecond > 0 || BalloonPagesPerSecond > 0 || TransfersPerSecond > 0;
}
