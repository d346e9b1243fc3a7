using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads one item of <c>hosts:</c>.</summary>
internal static class HostReader
{
    public static readonly string[] Keys = ["name", "iommu", "iommu-lifetime", "shared-page-tables", "tsc-scaling", "tsc-khz", "memory", "toolstack", "cpus", "bandwidth"];

    private static readonly HostSpec Defaults = new() { Name = "", MemoryBytes = 0 };

    public static HostSpec Read(MappingReader host) => new()
    {
        Name = host.Require("name", ScalarParsers.Text),
        IommuVendor = host.Get("iommu", ScalarParsers.Vendor, Defaults.IommuVendor),
        SharedPageTables = host.Get("shared-page-tables", ScalarParsers.Bool, Defaults.SharedPageTables),
        TscScaling = host.Get("tsc-scaling", ScalarParsers.Bool, Defaults.TscScaling),
        TscKhz = host.Get("tsc-khz", ScalarParsers.Long, Defaults.TscKhz),
        MemoryBytes = host.Require<long>("memory", Units.TryParseSize),
        Toolstack = host.Get("toolstack", ScalarParsers.Toolstack, Defaults.Toolstack),
        IommuLifetime = host.Get("iommu-lifetime", ScalarParsers.IommuLifetime, Defaults.IommuLifetime),
        Cpus = host.Has("cpus") ? host.Require("cpus", ScalarParsers.Int) : null,
        LinkBytesPerSecond = host.Has("bandwidth") ? host.Require<double>("bandwidth", Units.TryParseBytesPerSecond) : null,
    };
}
