using Migration.Scenarios.Model;
using Migration.Xen;

namespace Migration.Scenarios.Generators;

/// <summary>
/// A seeded datacenter: hosts of 256 GiB on a 10 Gbit/s network (3 in 4 Intel, 1 in 4 AMD, 1 in 8
/// without TSC scaling), a mix of domains on each, one passed-through device per host plus spares,
/// and migrations spread over a span. The layout depends only on the parameters (LayoutSeed among
/// them), never on a run's seed; each part draws from its own stream.
/// </summary>
public static class DatacenterGenerator
{
    public const long HostMemoryBytes = 256L << 30;
    public const long DomainMemoryMaxBytes = 16L << 30;
    public const double LinkBytesPerSecond = 10e9 / 8;

    // Different frequencies on the two vendors, so that a host without TSC scaling matters for invariant-TSC guests.
    public const long IntelTscKhz = 2_400_000;
    public const long AmdTscKhz = 2_900_000;

    public static readonly TimeSpan Latency = TimeSpan.FromMicroseconds(50);

    private const ulong DomainStream = 1;
    private const ulong DeviceStream = 2;
    private const ulong MigrationStream = 3;

    /// <summary>The scenario for <paramref name="parameters"/>, validated like a written one.</summary>
    public static Scenario Generate(DatacenterParameters parameters) =>
        GeneratedScenario.Checked("datacenter", parameters.Problems(), () => Build(parameters, "datacenter"));

    internal static Scenario Build(DatacenterParameters parameters, string name)
    {
        var seed = (ulong)parameters.LayoutSeed;
        var domains = DatacenterDomains.Make(parameters, SplitMix64.ForStream(seed, DomainStream));
        var devices = DatacenterDevices.Make(parameters, domains, SplitMix64.ForStream(seed, DeviceStream));
        return new Scenario
        {
            Name = name,
            Hosts = Enumerable.Range(0, parameters.Hosts).Select(i => MakeHost(i, parameters)).ToArray(),
            Domains = DatacenterDevices.EnableIommuOfAssigned(domains, devices),
            Devices = devices,
            Migrations = DatacenterMigrations.Make(parameters, domains, SplitMix64.ForStream(seed, MigrationStream)),
            Network = new NetworkSpec { BytesPerSecond = LinkBytesPerSecond, Latency = Latency },
        };
    }

    internal static string HostName(int index) => $"host-{index}";

    private static HostSpec MakeHost(int index, DatacenterParameters parameters)
    {
        var amd = index % 4 == 3;
        return new HostSpec
        {
            Name = HostName(index),
            IommuVendor = amd ? IommuVendor.Amd : IommuVendor.Intel,
            SharedPageTables = true,
            TscScaling = index % 8 != 1,
            TscKhz = amd ? AmdTscKhz : IntelTscKhz,
            MemoryBytes = HostMemoryBytes,
            Toolstack = parameters.Toolstack,
        };
    }
}
