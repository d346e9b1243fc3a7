namespace Migration.Xen.Iommu;

/// <summary>The invalidation modes, their names and origins, and the limits they are measured against (XEN-FACTS.md, vtd/qinval.c).</summary>
public static class InvalidationModes
{
    /// <summary><c>iommu_dev_iotlb_timeout</c>'s default: how long 4.8 to 4.15 waited for a Device-TLB flush.</summary>
    public static readonly TimeSpan DeviceTlbTimeout = TimeSpan.FromMilliseconds(1000);

    /// <summary>What the ATS specification allows a device to take to complete an invalidation.</summary>
    public static readonly TimeSpan AtsFlushMax = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<InvalidationModeInfo> All { get; } =
    [
        new(InvalidationMode.Spin, "spin", "Xen 4.16 and later (XSA-373)",
            "the CPU spins until the device completes the flush, however long it takes"),
        new(InvalidationMode.Timeout, "timeout", "Xen 4.8 to 4.15",
            "the CPU spins up to 1 s; then the device is taken away and marked broken (assigning it again fails with -EBADF, as 4.17+ refuses a broken device) and the guest is crashed"),
        new(InvalidationMode.AsyncHold, "async-hold", "seeds/004 (proposed, not merged)",
            "nothing spins: freed pages are held and the domain's vCPUs kept out of guest mode until the flush completes"),
        new(InvalidationMode.Deferred, "deferred", "seeds/001 (the tasklet idea, rejected)",
            "pages are freed at once and the flush runs later: a device's stale translation can reach a page after it was freed"),
    ];

    public static InvalidationModeInfo Of(InvalidationMode mode) => All[(int)mode];

    /// <summary>The mode named <paramref name="name"/>, or null.</summary>
    public static InvalidationMode? Parse(string name)
    {
        foreach (var info in All)
        {
            if (string.Equals(info.Name, name, StringComparison.Ordinal)) return info.Mode;
        }
        return null;
    }
}
