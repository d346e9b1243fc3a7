using System.Runtime.CompilerServices;
using Migration.Scenarios.Model;

namespace Migration.Simulation.World;

/// <summary>
/// What a run looks up in its scenario, indexed once per scenario rather than once per run (an
/// experiment runs one scenario hundreds of times): hosts by name, each host's domains and devices
/// in scenario order, and the last scheduled start. Read-only, so the runs of a parallel experiment
/// share it.
/// </summary>
internal sealed class ScenarioIndex
{
    private static readonly ConditionalWeakTable<Scenario, ScenarioIndex> Built = new();

    private readonly Dictionary<string, int> hostIndex;
    private readonly DomainSpec[][] domainsByHost;
    private readonly DeviceSpec[][] devicesByHost;
    private readonly BootDomain[][] bootDomainsByHost;
    private readonly BootDevice[][] bootDevicesByHost;
    private readonly BootDomain[] hardwareDomains;

    private ScenarioIndex(Scenario scenario)
    {
        hostIndex = new Dictionary<string, int>(scenario.Hosts.Count, StringComparer.Ordinal);
        for (var i = 0; i < scenario.Hosts.Count; i++) hostIndex[scenario.Hosts[i].Name] = i;
        domainsByHost = ByHost(scenario.Domains, d => d.Host, scenario.Hosts.Count);
        devicesByHost = ByHost(scenario.Devices, d => d.Host, scenario.Hosts.Count);
        bootDomainsByHost = domainsByHost.Select((specs, host) => Array.ConvertAll(specs, spec =>
            new BootDomain(spec.Name, spec.Name + ".boot", Xen.SplitMix.LabelKey("workload/", spec.Name),
                Actors.ToolstackActor.FactsOf(scenario.Hosts[host], spec, devices: null)))).ToArray();
        bootDevicesByHost = devicesByHost.Select((specs, host) => Array.ConvertAll(specs, spec =>
            new BootDevice("dev-" + spec.Bdf.Replace(':', '.'), Xen.SplitMix.LabelKey($"device/{host}/", spec.Bdf)))).ToArray();
        hardwareDomains = scenario.Hosts.Select(h => (Host: h, Name: HardwareDomainName(h.Name)))
            .Select(h => new BootDomain(h.Name, h.Name + ".boot", Xen.SplitMix.LabelKey("", h.Name), Actors.ToolstackActor.HardwareDomainFacts(h.Host, h.Name)))
            .ToArray();
        LastStart = scenario.Migrations.Count == 0 ? TimeSpan.Zero : scenario.Migrations.Max(m => m.At);
    }

    /// <summary>
    /// How a host boots a domain: its name, its actor's name, the key of its workload's seed
    /// (<see cref="Xen.SplitMix.LabelKey"/>), which would otherwise be rebuilt from text every run,
    /// and what the hypervisor knows of it before any device is assigned (immutable, so every run
    /// shares it).
    /// </summary>
    public readonly record struct BootDomain(string Name, string ActorName, ulong WorkloadKey, Xen.Policies.DomainFacts Facts);

    /// <summary>How a host boots a device: its actor's name and the key of its DMA stream's seed.</summary>
    public readonly record struct BootDevice(string ActorName, ulong SeedKey);

    /// <summary>The hardware domain's name on a host (scenario domain names cannot clash: they are checked unique and '@' marks this one).</summary>
    public static string HardwareDomainName(string hostName) => "Domain-0@" + hostName;

    /// <summary>The boot names and keys of <see cref="DomainsOn"/>, in the same order.</summary>
    public IReadOnlyList<BootDomain> BootDomainsOn(int host) => bootDomainsByHost[host];

    /// <summary>The boot names and keys of <see cref="DevicesOn"/>, in the same order.</summary>
    public IReadOnlyList<BootDevice> BootDevicesOn(int host) => bootDevicesByHost[host];

    public BootDomain HardwareDomainOn(int host) => hardwareDomains[host];

    /// <summary>The index of <paramref name="scenario"/>, built at its first use.</summary>
    public static ScenarioIndex Of(Scenario scenario) => Built.GetValue(scenario, static s => new ScenarioIndex(s));

    /// <summary>When the last migration is scheduled to start (zero without migrations).</summary>
    public TimeSpan LastStart { get; }

    public bool TryGetHostIndex(string hostName, out int index) => hostIndex.TryGetValue(hostName, out index);

    public IReadOnlyList<DomainSpec> DomainsOn(int host) => domainsByHost[host];

    public IReadOnlyList<DeviceSpec> DevicesOn(int host) => devicesByHost[host];

    private T[][] ByHost<T>(IReadOnlyList<T> items, Func<T, string> hostOf, int hostCount)
    {
        var lists = new List<T>[hostCount];
        for (var i = 0; i < hostCount; i++) lists[i] = new List<T>();
        foreach (var item in items) lists[hostIndex[hostOf(item)]].Add(item);
        return Array.ConvertAll(lists, list => list.ToArray());
    }
}
