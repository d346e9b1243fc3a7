namespace Migration.Scenarios.Model;

/// <summary>The names scenario files give event kinds (<c>hot-plug</c>), one table for reading and writing them.</summary>
public static class EventKindNames
{
    public static IReadOnlyList<(EventKind Value, string Name)> All { get; } =
    [
        (EventKind.HotPlug, "hot-plug"), (EventKind.HotUnplug, "hot-unplug"), (EventKind.MemSharing, "mem-sharing"),
        (EventKind.MemPaging, "mem-paging"), (EventKind.DeviceBroken, "device-broken"),
        (EventKind.MemoryAdd, "memory-add"), (EventKind.MmioMap, "mmio-map"), (EventKind.Altp2mView, "altp2m-view"), (EventKind.Altp2mAccess, "altp2m-access"),
        (EventKind.Altp2mRemap, "altp2m-remap"), (EventKind.Share, "share"), (EventKind.Unshare, "unshare"),
    ];

    public static string Of(EventKind kind)
    {
        foreach (var (value, name) in All)
        {
            if (value == kind) return name;
        }
        throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
    }
}
