using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Policies;

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
    private readonly BootHardwareDomain[] hardwareDomains;

    private ScenarioIndex(Scenario scenario)
    {
        hostIndex = new Dictionary<string, int>(scenario.Hosts.Count, StringComparer.Ordinal);
        for (var i = 0; i < scenario.Hosts.Count; i++) hostIndex[scenario.Hosts[i].Name] = i;
        domainsByHost = ByHost(scenario.Domains, d => d.Host, scenario.Hosts.Count);
        devicesByHost = ByHost(scenario.Devices, d => d.Host, scenario.Hosts.Count);
        var withBootDevice = scenario.Devices.Where(d => d.Domain is not null).Select(d => d.Domain!).ToHashSet(StringComparer.Ordinal);
        bootDomainsByHost = domainsByHost.Select((specs, host) =>
            Array.ConvertAll(specs, spec => Boot(scenario.Hosts[host], spec, withBootDevice.Contains(spec.Name)))).ToArray();
        bootDevicesByHost = devicesByHost.Select((specs, host) => Array.ConvertAll(specs, spec =>
            new BootDevice("dev-" + spec.Bdf.Replace(':', '.'), SplitMix.LabelKey($"device/{host}/", spec.Bdf)))).ToArray();
        hardwareDomains = scenario.Hosts.Select(h => (Host: h, Name: HardwareDomainName(h.Name)))
            .Select(h => new BootHardwareDomain(h.Name, h.Name + ".boot", SplitMix.LabelKey("", h.Name), Actors.ToolstackActor.HardwareDomainFacts(h.Host, h.Name)))
            .ToArray();
        LastStart = RunTiming.LastStart(scenario.Migrations);
        Digest = XxHash3.HashToUInt64(JsonSerializer.SerializeToUtf8Bytes(scenario));
    }

    /// <summary>
    /// How a domain boots on <paramref name="host"/>: created with its flags (libxl enables the IOMMU
    /// for a domain created with a device, where the context lives for the domain's life), then
    /// mem_sharing and mem_paging turned on as the scenario asks, which the hypervisor refuses while
    /// the IOMMU is enabled for the domain (it then runs without them, and the refusals are reported
    /// at time 0), then its devices assigned.
    /// </summary>
    private static BootDomain Boot(HostSpec host, DomainSpec spec, bool createdWithDevice)
    {
        if (createdWithDevice && host.IommuLifetime == IommuLifetime.Domain) spec = spec with { IommuEnabled = true };
        var refusals = new List<Refusal>();
        var facts = Actors.ToolstackActor.FactsOf(host, spec with { MemSharing = false, MemPaging = false }, devices: null);
        if (spec.MemSharing)
        {
            if (MemSharingRule.Check(facts) is { } refused) refusals.Add(refused);
            else facts = facts with { MemSharing = true };
        }
        if (spec.MemPaging)
        {
            if (MemPagingRule.Check(facts) is { } refused) refusals.Add(refused);
            else facts = facts with { MemPaging = true };
        }
        var effective = spec with { MemSharing = facts.MemSharing, MemPaging = facts.MemPaging };
        return new BootDomain(effective, spec.Name + ".boot", SplitMix.LabelKey("workload/", spec.Name), facts, refusals.ToArray());
    }

    /// <summary>A digest of the whole scenario (every field of every host, domain, device, migration, fault and event).</summary>
    public ulong Digest { get; }

    /// <summary>
    /// How a host boots a domain: its spec as booted (mem_sharing and mem_paging off where the
    /// hypervisor refused them), its actor's name, the key of its workload's seed
    /// (<see cref="SplitMix.LabelKey"/>), which would otherwise be rebuilt from text every run, what
    /// the hypervisor knows of it before any device is assigned, and what it refused at boot
    /// (immutable, so every run shares them).
    /// </summary>
    public readonly record struct BootDomain(DomainSpec Spec, string ActorName, ulong WorkloadKey, DomainFacts Facts, IReadOnlyList<Refusal> Refusals)
    {
        public string Name => Spec.Name;
    }

    /// <summary>How a host boots its hardware domain.</summary>
    public readonly record struct BootHardwareDomain(string Name, string ActorName, ulong WorkloadKey, DomainFacts Facts);

    /// <summary>How a host boots a device: its actor's name and the key of its DMA stream's seed.</summary>
    public readonly record struct BootDevice(string ActorName, ulong SeedKey);

    /// <summary>The hardware domain's name on a host (scenario domain names cannot clash: they are checked unique and '@' marks this one).</summary>
    public static string HardwareDomainName(string hostName) => "Domain-0@" + hostName;

    /// <summary>The boot names and keys of <see cref="DomainsOn"/>, in the same order.</summary>
    public IReadOnlyList<BootDomain> BootDomainsOn(int host) => bootDomainsByHost[host];

    /// <summary>The boot names and keys of <see cref="DevicesOn"/>, in the same order.</summary>
    public IReadOnlyList<BootDevice> BootDevicesOn(int host) => bootDevicesByHost[host];

    public BootHardwareDomain HardwareDomainOn(int host) => hardwareDomains[host];

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
