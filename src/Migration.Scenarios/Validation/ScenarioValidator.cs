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
        if (scenario.Iommu is { } iommu) CheckIommu(iommu, map);
    }

    private static void CheckIommu(IommuSpec iommu, SourceMap map)
    {
        var probability = iommu.FailureProbability;
        Rule.That(probability is >= 0 and <= 1, map, "iommu.failures.probability", $"must be a probability in [0%, 100%] (is {Rule.Percent(probability)})");
        Rule.That(probability == 0 || probability >= IommuSpec.ProbabilityMin, map, "iommu.failures.probability",
            $"{Rule.Percent(probability)} is less than {Rule.Percent(IommuSpec.ProbabilityMin)}, the least the simulation draws for (write 0 for none)");
        var seen = new HashSet<long>();
        for (var i = 0; i < iommu.FailingCalls.Count; i++)
        {
            var call = iommu.FailingCalls[i];
            var path = SourceMap.Item("iommu.failures.calls", i);
            Rule.That(call >= 1, map, path, $"calls are numbered from 1 (is {call})");
            Rule.That(call <= IommuSpec.CallsScannedMax, map, path, $"call {call} is past the last the simulation looks at ({IommuSpec.CallsScannedMax:N0})");
            Rule.That(seen.Add(call), map, path, $"call {call} is listed twice");
        }
    }

    private static void CheckNetwork(NetworkSpec network, SourceMap map)
    {
        var bandwidth = network.BytesPerSecond;
        Rule.That(double.IsFinite(bandwidth) && bandwidth > 0, map, "network.bandwidth", $"must be greater than 0 (is {Rule.Number(bandwidth)} bytes/s)");
        Rule.NotNegative(network.Latency, map, "network.latency");
        var reverse = network.ReverseFraction;
        Rule.That(reverse is >= 0 and <= 1, map, "network.reverse", $"must be a share in [0%, 100%] (is {Rule.Number(reverse * 100)}%)");
        Rule.That(network.Efficiency is > 0 and <= 1, map, "network.efficiency", $"must be a share in (0%, 100%] (is {Rule.Number(network.Efficiency * 100)}%)");
        if (network.FabricBytesPerSecond is { } fabric)
            Rule.That(double.IsFinite(fabric) && fabric > 0, map, "network.fabric", $"must be greater than 0 (is {Rule.Number(fabric)} bytes/s)");
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
            if (host.Cpus is { } cpus) Rule.That(cpus > 0, map, SourceMap.Child(path, "cpus"), $"must be at least 1 (is {cpus})");
            if (host.LinkBytesPerSecond is { } link)
                Rule.That(double.IsFinite(link) && link > 0, map, SourceMap.Child(path, "bandwidth"), $"must be greater than 0 (is {Rule.Number(link)} bytes/s)");
        }
        return index;
    }
}
