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

    /// <summary>The memory a <c>memory-add</c> hot-adds to the host's hardware domain, in bytes; null for other kinds. Left out of the digest when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeBytes { get; init; }

    /// <summary>
    /// The page (from 1) whose IOMMU map fails: of a <c>memory-add</c>'s range, or of a <c>hot-plug</c>ged
    /// device's identity-mapped RMRR; null: none. Left out of the digest when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? FailPage { get; init; }

    /// <summary>Whether the event names a device on a host (hot-plug, hot-unplug, device-broken) rather than only a domain.</summary>
    public bool IsDeviceEvent => Kind is EventKind.HotPlug or EventKind.HotUnplug or EventKind.DeviceBroken;

    /// <summary>Whether the event happens on a named host (a device event, or memory-add), not wherever a domain runs.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHostEvent => IsDeviceEvent || Kind == EventKind.MemoryAdd;
}
