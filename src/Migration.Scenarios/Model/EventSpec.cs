namespace Migration.Scenarios.Model;

/// <summary>Something that happens during a run at a virtual time: a device plugged or unplugged, a domain feature turned on.</summary>
public sealed record EventSpec
{
    public required EventKind Kind { get; init; }

    public required TimeSpan At { get; init; }

    /// <summary>The host whose device the event is about (device events only).</summary>
    public string? Host { get; init; }

    /// <summary>The device's BDF on <see cref="Host"/> (device events only).</summary>
    public string? Device { get; init; }

    /// <summary>The domain (hot-plug, mem-sharing, mem-paging).</summary>
    public string? Domain { get; init; }

    /// <summary>The memory a <c>memory-add</c> hot-adds to the host's hardware domain, or the BAR an <c>mmio-map</c> maps, in bytes; null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeBytes { get; init; }

    /// <summary>
    /// The page (from 1) whose IOMMU map fails: of a <c>memory-add</c>'s range, or of a <c>hot-plug</c>ged
    /// device's identity-mapped RMRR; null: none. Left out of the digest when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? FailPage { get; init; }

    /// <summary>The altp2m view (from 1) an <c>altp2m-access</c> or <c>altp2m-remap</c> goes through; null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? View { get; init; }

    /// <summary>The domain's page the altp2m or sharing event is about; null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? Gfn { get; init; }

    /// <summary>The page whose mapping an <c>altp2m-remap</c> gives <see cref="Gfn"/> in the view; null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? ToGfn { get; init; }

    /// <summary>The access an <c>altp2m-access</c> sets; null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Migration.Xen.Sharing.PageAccess? Access { get; init; }

    /// <summary>The domain a <c>share</c> shares <see cref="Gfn"/> with (mem_sharing's client); null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Client { get; init; }

    /// <summary>The client's page that gets the shared frame; null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? ClientGfn { get; init; }

    /// <summary>Whether the event names a device on a host (hot-plug, hot-unplug, device-broken) rather than only a domain.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSharingEvent => Kind is EventKind.Altp2mView or EventKind.Altp2mAccess or EventKind.Altp2mRemap or EventKind.Share or EventKind.Unshare;

    public bool IsDeviceEvent => Kind is EventKind.HotPlug or EventKind.HotUnplug or EventKind.DeviceBroken;

    /// <summary>Whether the event happens on a named host (a device event, memory-add or mmio-map), not wherever a domain runs.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHostEvent => IsDeviceEvent || IsHardwareDomainEvent;

    /// <summary>Whether the event is the named host's hardware domain's own (memory-add, mmio-map).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHardwareDomainEvent => Kind is EventKind.MemoryAdd or EventKind.MmioMap;
}
