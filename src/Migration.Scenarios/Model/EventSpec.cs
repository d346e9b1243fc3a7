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

    /// <summary>Whether the event names a device on a host (hot-plug, hot-unplug, device-broken) rather than only a domain.</summary>
    public bool IsDeviceEvent => Kind is EventKind.HotPlug or EventKind.HotUnplug or EventKind.DeviceBroken;
}
