using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;

namespace Migration.Scenarios.Validation;

/// <summary>Domains: unique names, an existing host with room for them, whole pages, at least one vCPU, a sane workload.</summary>
internal static class DomainRules
{
    public static NameIndex<DomainSpec> Check(IReadOnlyList<DomainSpec> domains, NameIndex<HostSpec> hosts, SourceMap map)
    {
        var index = new NameIndex<DomainSpec>("domain", "domains");
        var usedBytesByHost = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < domains.Count; i++)
        {
            var domain = domains[i];
            var path = SourceMap.Item("domains", i);
            index.Add(i, domain.Name, domain, map);
            var host = hosts.Resolve(domain.Host, SourceMap.Child(path, "host"), map);
            CheckMemory(domain, host, usedBytesByHost, SourceMap.Child(path, "memory"), map);
            Rule.That(domain.Vcpus >= 1, map, SourceMap.Child(path, "vcpus"), $"must be at least 1 (is {domain.Vcpus})");
            CheckWorkload(domain.Workload, SourceMap.Child(path, "workload"), map);
            if (domain.Io is { } io) CheckIo(io, SourceMap.Child(path, "io"), map);
        }
        return index;
    }

    private static void CheckMemory(DomainSpec domain, HostSpec host, Dictionary<string, long> usedBytesByHost, string path, SourceMap map)
    {
        var bytes = domain.MemoryBytes;
        Rule.That(bytes > 0, map, path, $"must be greater than 0 (is {bytes} bytes)");
        Rule.That(bytes % PageSize.Bytes == 0, map, path, $"{bytes} bytes is not a whole number of 4 KiB pages");
        Rule.That(bytes <= host.MemoryBytes, map, path,
            $"{Units.FormatSize(bytes)} is more than host '{host.Name}' has ({Units.FormatSize(host.MemoryBytes)})");
        var usedBytes = usedBytesByHost.GetValueOrDefault(host.Name);
        // Compared as a difference so that two huge sizes cannot overflow the sum.
        Rule.That(bytes <= host.MemoryBytes - usedBytes, map, path,
            $"the domains on host '{host.Name}' would need {Units.FormatSize(usedBytes)} + {Units.FormatSize(bytes)}, "
            + $"more than its {Units.FormatSize(host.MemoryBytes)}");
        usedBytesByHost[host.Name] = usedBytes + bytes;
    }

    private static void CheckIo(IoSpec io, string path, SourceMap map)
    {
        // The balloon's pages and the transfers go in one schedule: together within the same bound.
        Rule.That(io.PagesLeavingPerSecond <= IoSpec.PerSecondMax, map, SourceMap.Child(path, "transfers"),
            $"balloon and transfers together are {Rule.Number(io.PagesLeavingPerSecond)}/s, more than {Rule.Number(IoSpec.PerSecondMax)}/s");
        foreach (var (key, rate) in new[] { ("grants", io.GrantsPerSecond), ("balloon", io.BalloonPagesPerSecond), ("transfers", io.TransfersPerSecond) })
        {
            Rule.NotNegative(rate, map, SourceMap.Child(path, key));
            Rule.That(rate <= IoSpec.PerSecondMax, map, SourceMap.Child(path, key), $"{Rule.Number(rate)}/s is more than {Rule.Number(IoSpec.PerSecondMax)}/s");
            Rule.That(rate == 0 || rate >= IoSpec.PerSecondMin, map, SourceMap.Child(path, key),
                $"{Rule.Number(rate)}/s is less than {Rule.Number(IoSpec.PerSecondMin)}/s (write 0 for none)");
        }
    }

    private static void CheckWorkload(WorkloadSpec workload, string path, SourceMap map)
    {
        Rule.NotNegative(workload.DirtyBytesPerSecond, map, SourceMap.Child(path, "dirty-rate"));
        var fraction = workload.WorkingSetFraction;
        Rule.That(fraction is > 0 and <= 1, map, SourceMap.Child(path, "working-set"), $"{Rule.Percent(fraction)} is outside (0%, 100%]");
    }
}
