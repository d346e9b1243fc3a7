using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;
using Migration.Xen;

namespace Migration.Scenarios.Validation;

/// <summary>
/// What libxl and the architecture forbid outright: a domain with populate-on-demand and PCI
/// passthrough (libxl refuses to create it), x86-only features on an Arm host, and a migration
/// between x86 and Arm.
/// </summary>
internal static class PlatformRules
{
    public static void Check(Scenario scenario, NameIndex<HostSpec> hosts, NameIndex<DomainSpec> domains, SourceMap map)
    {
        for (var i = 0; i < scenario.Domains.Count; i++)
        {
            var domain = scenario.Domains[i];
            var path = SourceMap.Item("domains", i);
            var host = hosts.Resolve(domain.Host, SourceMap.Child(path, "host"), map);
            if (Architecture.IsArm(host.IommuVendor)) CheckArmDomain(domain, host, path, map);
        }
        if (scenario.Domains.Any(d => d.PopulateOnDemand)) CheckPopulateOnDemand(scenario, map);
        for (var i = 0; i < scenario.Migrations.Count; i++) CheckSameArchitecture(scenario.Migrations[i], i, hosts, domains, map);
    }

    private static void CheckArmDomain(DomainSpec domain, HostSpec host, string path, SourceMap map)
    {
        foreach (var (set, key, feature) in new[]
                 {
                     (domain.MemSharing, "mem-sharing", "mem_sharing"), (domain.MemPaging, "mem-paging", "mem_paging"),
                     (domain.PopulateOnDemand, "populate-on-demand", "populate-on-demand"),
                 })
        {
            Rule.That(!set, map, SourceMap.Child(path, key), $"{feature} exists only on x86; host '{host.Name}' is Arm (iommu: arm)");
        }
        Rule.That(domain.Tsc == TscMode.Default, map, SourceMap.Child(path, "tsc"),
            $"the TSC is x86; an Arm guest on host '{host.Name}' uses the generic timer (leave tsc out)");
    }

    /// <summary>
    /// libxl_create.c: "IOMMU required for device passthrough but not supported together with PoD":
    /// passthrough is on when the domain is created with a PCI device or with <c>passthrough=</c>.
    /// </summary>
    private static void CheckPopulateOnDemand(Scenario scenario, SourceMap map)
    {
        const string Libxl = "libxl refuses to create a domain with populate-on-demand and PCI passthrough "
                             + "(\"IOMMU required for device passthrough but not supported together with PoD\", libxl_create.c)";
        var firstDeviceOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = scenario.Devices.Count - 1; d >= 0; d--)
        {
            if (scenario.Devices[d].Domain is { } owner) firstDeviceOf[owner] = d;
        }
        for (var i = 0; i < scenario.Domains.Count; i++)
        {
            var domain = scenario.Domains[i];
            if (!domain.PopulateOnDemand) continue;
            var path = SourceMap.Child(SourceMap.Item("domains", i), "populate-on-demand");
            Rule.That(!domain.IommuEnabled, map, path, $"{Libxl}; this domain sets iommu: true");
            if (firstDeviceOf.TryGetValue(domain.Name, out var d))
                throw map.Error(path, $"{Libxl}; {SourceMap.Item("devices", d)} ({scenario.Devices[d].Bdf}) is assigned to it at the start");
        }
    }

    private static void CheckSameArchitecture(MigrationSpec migration, int index, NameIndex<HostSpec> hosts, NameIndex<DomainSpec> domains, SourceMap map)
    {
        var path = SourceMap.Item("migrations", index);
        var start = hosts.Resolve(domains.Resolve(migration.Domain, SourceMap.Child(path, "domain"), map).Host, SourceMap.Child(path, "domain"), map);
        var to = hosts.Resolve(migration.To, SourceMap.Child(path, "to"), map);
        Rule.That(Architecture.IsArm(start.IommuVendor) == Architecture.IsArm(to.IommuVendor), map, SourceMap.Child(path, "to"),
            $"host '{to.Name}' is {Architecture.NameOf(to.IommuVendor)} but domain '{migration.Domain}' starts on {Architecture.NameOf(start.IommuVendor)} host '{start.Name}'; Xen cannot migrate a domain between architectures");
    }
}
