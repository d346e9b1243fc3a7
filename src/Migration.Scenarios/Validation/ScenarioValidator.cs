using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;

namespace Migration.Scenarios.Validation;

/// <summary>
/// Checks a whole scenario, written or generated, after it is built: every size and rate in range,
/// every name unique and every reference resolving to a host or domain that can hold it. Throws
/// the first problem found, located through the <see cref="SourceMap"/>.
/// </summary>
internal static class ScenarioValidator
{
    public static void Validate(Scenario scenario, SourceMap map)
    {
        Rule.That(scenario.Name.Length > 0, map, "name", "must not be empty");
        CheckNetwork(scenario.Network, map);
        var hosts = CheckHosts(scenario.Hosts, map);
        var domains = DomainRules.Check(scenario.Domains, hosts, map);
        DeviceRules.Check(scenario.Devices, hosts, domains, map);
        ScheduleRules.CheckMigrations(scenario.Migrations, hosts, domains, map);
        ScheduleRules.CheckFaults(scenario.Faults, hosts, map);
        PlatformRules.Check(scenario, hosts, domains, map);
        EventRules.Check(scenario, hosts, domains, map);
    }

    private static void CheckNetwork(NetworkSpec network, SourceMap map)
    {
        var bandwidth = network.BytesPerSecond;
        Rule.That(double.IsFinite(bandwidth) && bandwidth > 0, map, "network.bandwidth", $"must be greater than 0 (is {Rule.Number(bandwidth)} bytes/s)");
        Rule.NotNegative(network.Latency, map, "network.latency");
    }

    private static NameIndex<HostSpec> CheckHosts(IReadOnlyList<HostSpec> hosts, SourceMap map)
    {
        Rule.That(hosts.Count > 0, map, "hosts", "at least one host is required");
        var index = new NameIndex<HostSpec>("host", "hosts");
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            var path = SourceMap.Item("hosts", i);
            index.Add(i, host.Name, host, map);
            Rule.That(host.MemoryBytes > 0, map, SourceMap.Child(path, "memory"), $"must be greater than 0 (is {host.MemoryBytes} bytes)");
            Rule.That(host.TscKhz > 0, map, SourceMap.Child(path, "tsc-khz"), $"must be greater than 0 (is {host.TscKhz})");
        }
        return index;
    }
}
