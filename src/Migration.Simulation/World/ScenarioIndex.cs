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

    private ScenarioIndex(Scenario scenario)
    {
        hostIndex = new Dictionary<string, int>(scenario.Hosts.Count, StringComparer.Ordinal);
        for (var i = 0; i < scenario.Hosts.Count; i++) hostIndex[scenario.Hosts[i].Name] = i;
        domainsByHost = ByHost(scenario.Domains, d => d.Host, scenario.Hosts.Count);
        devicesByHost = ByHost(scenario.Devices, d => d.Host, scenario.Hosts.Count);
        LastStart = scenario.Migrations.Count == 0 ? TimeSpan.Zero : scenario.Migrations.Max(m => m.At);
    }

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
