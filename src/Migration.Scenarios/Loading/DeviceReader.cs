using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads one item of <c>devices:</c>; its buffer is written as a size (<c>buffer</c>) or in pages (<c>buffer-pages</c>).</summary>
internal static class DeviceReader
{
    public static readonly string[] Keys =
    [
        "bdf", "host", "domain", "bus-master", "dma", "dma-rate", "write-share",
        "buffer", "buffer-pages", "declared-read-only", "emulator-reports-dirty", "broken", "ats", "flush", "rmrr",
    ];

    private static readonly DeviceSpec Defaults = new() { Bdf = "", Host = "" };

    public static DeviceSpec Read(MappingReader device) => new()
    {
        Bdf = device.Require("bdf", ScalarParsers.Text),
        Host = device.Require("host", ScalarParsers.Text),
        Domain = device.TryRead("domain", ScalarParsers.Text, out var domain) ? domain : null,
        BusMaster = device.Get("bus-master", ScalarParsers.Bool, Defaults.BusMaster),
        Dma = device.Get("dma", ScalarParsers.Dma, Defaults.Dma),
        DmaPerSecond = device.Get<double>("dma-rate", Units.TryParsePerSecond, Defaults.DmaPerSecond),
        WriteShare = device.Get<double>("write-share", Units.TryParseFraction, Defaults.WriteShare),
        BufferPages = ReadBufferPages(device),
        DeclaredReadOnly = device.Get("declared-read-only", ScalarParsers.Bool, Defaults.DeclaredReadOnly),
        EmulatorReportsDirty = device.Get("emulator-reports-dirty", ScalarParsers.Bool, Defaults.EmulatorReportsDirty),
        Broken = device.Get("broken", ScalarParsers.Bool, Defaults.Broken),
        Ats = device.Get("ats", ScalarParsers.Bool, Defaults.Ats),
        FlushLatency = device.Get<TimeSpan>("flush", Units.TryParseDuration, Defaults.FlushLatency),
        RmrrPages = ReadRmrrPages(device),
    };

    private static int ReadRmrrPages(MappingReader device)
    {
        if (!device.TryRead<long>("rmrr", Units.TryParseSize, out var bytes)) return 0;
        if (bytes <= 0 || bytes % PageSize.Bytes != 0) throw device.Error("rmrr", $"{Units.FormatSize(bytes)} is not a whole number of 4 KiB pages above 0");
        var pages = bytes / PageSize.Bytes;
        return pages <= MaxRmrrPages ? (int)pages : throw device.Error("rmrr", $"{Units.FormatSize(bytes)} is larger than an RMRR here ({Units.FormatSize(MaxRmrrPages * PageSize.Bytes)} at most)");
    }

    /// <summary>The largest reserved region read: 64 MiB (RMRRs are a few pages to a few MiB: USB, graphics stolen memory).</summary>
    public const int MaxRmrrPages = 16 * 1024;

    private static int ReadBufferPages(MappingReader device)
    {
        if (device.Has("buffer") && device.Has("buffer-pages"))
        {
            throw device.Error("buffer-pages", "write either buffer (a size) or buffer-pages, not both");
        }
        if (!device.TryRead<long>("buffer", Units.TryParseSize, out var bytes)) return device.Get("buffer-pages", ScalarParsers.Int, Defaults.BufferPages);
        if (bytes % PageSize.Bytes != 0) throw device.Error("buffer", $"{bytes} bytes is not a whole number of 4 KiB pages");
        var pages = bytes / PageSize.Bytes;
        return pages <= int.MaxValue ? (int)pages : throw device.Error("buffer", $"{Units.FormatSize(bytes)} is too large a buffer");
    }
}
