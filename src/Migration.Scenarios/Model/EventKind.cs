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
}
