using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads one item of <c>domains:</c>, with its <c>workload:</c>.</summary>
internal static class DomainReader
{
    public static readonly string[] Keys =
    [
        "name", "host", "memory", "vcpus", "workload", "iommu", "passthrough",
        "mem-sharing", "mem-paging", "populate-on-demand", "nomigrate", "tsc", "io",
    ];

    public static readonly string[] IoKeys = ["grants", "balloon", "transfers"];

    public static readonly string[] WorkloadKeys = ["dirty-rate", "working-set"];

    private static readonly DomainSpec Defaults = new() { Name = "", Host = "", MemoryBytes = 0 };

    public static DomainSpec Read(MappingReader domain) => new()
    {
        Name = domain.Require("name", ScalarParsers.Text),
        Host = domain.Require("host", ScalarParsers.Text),
        MemoryBytes = domain.Require<long>("memory", Units.TryParseSize),
        Vcpus = domain.Get("vcpus", ScalarParsers.Int, Defaults.Vcpus),
        Workload = ReadWorkload(domain.Child("workload", WorkloadKeys)),
        IommuEnabled = domain.Get("iommu", ScalarParsers.Bool, Defaults.IommuEnabled),
        SyncPageTables = domain.Get("passthrough", ScalarParsers.SyncPageTables, Defaults.SyncPageTables),
        MemSharing = domain.Get("mem-sharing", ScalarParsers.Bool, Defaults.MemSharing),
        MemPaging = domain.Get("mem-paging", ScalarParsers.Bool, Defaults.MemPaging),
        PopulateOnDemand = domain.Get("populate-on-demand", ScalarParsers.Bool, Defaults.PopulateOnDemand),
        Nomigrate = domain.Get("nomigrate", ScalarParsers.Bool, Defaults.Nomigrate),
        Tsc = domain.Get("tsc", ScalarParsers.Tsc, Defaults.Tsc),
        Io = ReadIo(domain.Child("io", IoKeys)),
    };

    private static IoSpec? ReadIo(MappingReader? io) => io is null ? null : new()
    {
        GrantsPerSecond = io.Get<double>("grants", Units.TryParsePerSecond, 0),
        BalloonPagesPerSecond = io.Get<double>("balloon", Units.TryParsePerSecond, 0),
        TransfersPerSecond = io.Get<double>("transfers", Units.TryParsePerSecond, 0),
    };

    private static WorkloadSpec ReadWorkload(MappingReader? workload) => workload is null ? Defaults.Workload : new()
    {
        DirtyBytesPerSecond = workload.Get<double>("dirty-rate", Units.TryParseBytesPerSecond, Defaults.Workload.DirtyBytesPerSecond),
        WorkingSetFraction = workload.Get<double>("working-set", Units.TryParseFraction, Defaults.Workload.WorkingSetFraction),
    };
}
