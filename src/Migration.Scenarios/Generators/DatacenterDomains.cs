using Migration.Scenarios.Model;
using Migration.Xen;

namespace Migration.Scenarios.Generators;

/// <summary>The datacenter's domains: <c>dom-n</c>, DomainsPerHost per host in host order, each drawn independently.</summary>
internal static class DatacenterDomains
{
    private const int MemoryGibMin = 1;
    private const int MemoryGibMax = (int)(DatacenterGenerator.DomainMemoryMaxBytes >> 30);
    private const int VcpusMax = 8;
    private const int DirtyBytesPerSecondMax = 40_000_000;
    private const int WorkingSetPerMilleMin = 50;
    private const int WorkingSetPerMilleMax = 500;

    public static IReadOnlyList<DomainSpec> Make(DatacenterParameters parameters, SplitMix64 random)
    {
        var domains = new DomainSpec[parameters.Hosts * parameters.DomainsPerHost];
        for (var n = 0; n < domains.Length; n++)
        {
            domains[n] = MakeDomain(n, DatacenterGenerator.HostName(n / parameters.DomainsPerHost), random);
        }
        return domains;
    }

    public static string DomainName(int index) => $"dom-{index}";

    private static DomainSpec MakeDomain(int index, string host, SplitMix64 random) => new()
    {
        Name = DomainName(index),
        Host = host,
        MemoryBytes = (long)random.NextInt(MemoryGibMin, MemoryGibMax) << 30,
        Vcpus = random.NextInt(1, VcpusMax),
        Workload = new WorkloadSpec
        {
            DirtyBytesPerSecond = random.NextInt(0, DirtyBytesPerSecondMax),
            WorkingSetFraction = random.NextInt(WorkingSetPerMilleMin, WorkingSetPerMilleMax) / 1000.0,
        },
        IommuEnabled = random.OneIn(10),
        Nomigrate = random.OneIn(20),
        Tsc = random.OneIn(10) ? TscMode.Invariant : TscMode.Default,
    };
}
