namespace Migration.Scenarios.Model;

/// <summary>What a scenario event does (each documented in src/Migration.Scenarios/README.md, <c>events[]</c>).</summary>
public enum EventKind
{
    /// <summary>The host's toolstack assigns <see cref="EventSpec.Device"/> to <see cref="EventSpec.Domain"/> (<c>xl pci-attach</c>).</summary>
    HotPlug,

    /// <summary>The host's toolstack takes <see cref="EventSpec.Device"/> away from its domain (<c>xl pci-detach</c>).</summary>
    HotUnplug,

    /// <summary>mem_sharing is turned on for <see cref="EventSpec.Domain"/>, wherever it runs then.</summary>
    MemSharing,

    /// <summary>A mem_paging ring is set up for <see cref="EventSpec.Domain"/>, wherever it runs then.</summary>
    MemPaging,

    /// <summary><see cref="EventSpec.Device"/> is marked broken (a Device-TLB flush timed out): assigning it fails with -EBADF.</summary>
    DeviceBroken,

    /// <summary>
    /// Memory is hot-added to <see cref="EventSpec.Host"/>'s hardware domain (<see cref="EventSpec.SizeBytes"/>):
    /// <c>memory_add()</c> maps it in the hardware domain's IOMMU (seeds/000, item 1).
    /// </summary>
    MemoryAdd,

    /// <summary>
    /// <see cref="EventSpec.Host"/>'s hardware domain (a PVH dom0) maps a device's BAR of
    /// <see cref="EventSpec.SizeBytes"/> into its P2M in one <c>set_entry</c> call (4 KiB, 2 MiB or 1 GiB):
    /// with separate IOMMU tables, <c>ept_set_entry()</c> or <c>p2m_pt_set_entry()</c> maps it in the
    /// IOMMU at its end (seeds/000, items 9 and 10).
    /// </summary>
    MmioMap,

    /// <summary>
    /// An altp2m view of <see cref="EventSpec.Domain"/> is created (<c>HVMOP_altp2m_create_p2m</c>),
    /// numbered from 1 in creation order on the host the domain runs on (seeds/003).
    /// </summary>
    Altp2mView,

    /// <summary>
    /// <see cref="EventSpec.Access"/> is set on <see cref="EventSpec.Gfn"/> through view
    /// <see cref="EventSpec.View"/> (<c>HVMOP_altp2m_set_mem_access</c>).
    /// </summary>
    Altp2mAccess,

    /// <summary>
    /// Through view <see cref="EventSpec.View"/>, <see cref="EventSpec.Gfn"/> maps what
    /// <see cref="EventSpec.ToGfn"/> maps (<c>HVMOP_altp2m_change_gfn</c>).
    /// </summary>
    Altp2mRemap,

    /// <summary>
    /// <see cref="EventSpec.Domain"/>'s <see cref="EventSpec.Gfn"/> and <see cref="EventSpec.Client"/>'s
    /// <see cref="EventSpec.ClientGfn"/> are nominated and shared (<c>XENMEM_sharing_op_nominate_gfn</c>, <c>_share</c>).
    /// </summary>
    Share,

    /// <summary>The guest writes <see cref="EventSpec.Gfn"/>: a shared page gets a private copy (<c>mem_sharing_unshare_page()</c>).</summary>
    Unshare,
}
