using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Toolstacks;

namespace Migration.Scenarios.Generators;

/// <summary>
/// SimGrid's live-migration benchmark, exactly: identical hosts on a 1 Gbit/s (125 MB/s) link,
/// 4 GiB single-vCPU domains dirtying at 30% of the link rate over 90% of their memory, domain i
/// starting on host i mod hosts and moving at 0.5 i s to host (i + 1) mod hosts, shut down once moved.
/// Hosts have one CPU, which their domains share, and links shared max-min fairly with 5% of each
/// stream's rate on the reverse path, as SimGrid's cluster and flow model. No devices or faults.
/// </summary>
public static class SimGridGenerator
{
    public const double LinkBytesPerSecond = 125_000_000;
    public const long DomainMemoryBytes = 4L << 30;
    public const double DirtyShareOfLink = 0.3;
    public const double WorkingSetFraction = 0.9;

    /// <summary>SimGrid's cross traffic: each stream takes 5% of its rate on the reverse path (network_cm02.cpp).</summary>
    public const double ReverseFraction = 0.05;

    /// <summary>SimGrid's LV08 bandwidth factor: a flow's bytes get 97% of a link's rate (network_cm02.cpp).</summary>
    public const double Efficiency = 0.97;

    /// <summary>SimGrid's hosts have one core (<c>core</c> defaults to 1): their VMs share it, and dirty memory as they compute.</summary>
    public const int CpusPerHost = 1;

    /// <summary>Hosts get at least this much; more if every domain could not fit on one host.</summary>
    public const long HostMemoryMinBytes = 1L << 40;

    public static readonly TimeSpan Latency = TimeSpan.FromMicroseconds(50);
    public static readonly TimeSpan MigrationInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The scenario for <paramref name="parameters"/>, validated like a written one.</summary>
    public static Scenario Generate(SimGridParameters parameters) =>
        GeneratedScenario.Checked("simgrid", parameters.Problems(), () => Build(parameters, "simgrid"));

    internal static Scenario Build(SimGridParameters parameters, string name) => new()
    {
        Name = name,
        Hosts = Enumerable.Range(0, parameters.Hosts).Select(i => MakeHost(i, parameters)).ToArray(),
        Domains = Enumerable.Range(0, parameters.Domains).Select(i => MakeDomain(i, parameters.Hosts)).ToArray(),
        Migrations = Enumerable.Range(0, parameters.Domains).Select(i => MakeMigration(i, parameters.Hosts)).ToArray(),
        // SimGrid's cluster: a private full-duplex link per host, TCP acknowledgements on the reverse path (network/crosstraffic).
        Network = new NetworkSpec { BytesPerSecond = LinkBytesPerSecond, Latency = Latency, Sharing = LinkSharing.Fair, ReverseFraction = ReverseFraction,
            Efficiency = Efficiency,
        },
    };

    private static HostSpec MakeHost(int index, SimGridParameters parameters) => new()
    {
        Name = $"host-{index}",
        IommuVendor = IommuVendor.Intel,
        Toolstack = ToolstackKind.Xl,
        // Big enough for every domain at once, so memory never limits where a domain may go.
        MemoryBytes = Math.Max(HostMemoryMinBytes, parameters.Domains * DomainMemoryBytes),
        Cpus = CpusPerHost,
    };

    private static DomainSpec MakeDomain(int index, int hostCount) => new()
    {
        Name = $"vm-{index}",
        Host = $"host-{index % hostCount}",
        MemoryBytes = DomainMemoryBytes,
        Vcpus = 1,
        Workload = new WorkloadSpec { DirtyBytesPerSecond = DirtyShareOfLink * LinkBytesPerSecond, WorkingSetFraction = WorkingSetFraction },
    };

    private static MigrationSpec MakeMigration(int index, int hostCount) => new()
    {
        Domain = $"vm-{index}",
        To = $"host-{(index + 1) % hostCount}",
        At = MigrationInterval * index,
        // The benchmark destroys each VM once it has moved (vm->destroy() after sg_vm_migrate).
        ShutdownAfter = true,
    };
}
