using Migration.Scenarios.Model;

namespace Migration.Scenarios.Generators;

/// <summary>
/// The datacenter's migrations, in time order: each moves a random domain to a host other than the
/// one it would be on had every earlier migration succeeded; 1 in 10 unplugs and replugs its devices.
/// </summary>
internal static class DatacenterMigrations
{
    private static readonly TimeSpan FirstStart = TimeSpan.FromSeconds(1);

    public static IReadOnlyList<MigrationSpec> Make(DatacenterParameters parameters, IReadOnlyList<DomainSpec> domains, SplitMix64 random)
    {
        var count = parameters.MigrationCount;
        if (count == 0) return [];
        var starts = Enumerable.Range(0, count).Select(_ => FirstStart + TimeSpan.FromTicks(random.NextInt64(parameters.Span.Ticks))).ToArray();
        Array.Sort(starts);
        // Where each domain would be, by index: starts at its host's index.
        var hostIndexByDomain = Enumerable.Range(0, domains.Count).Select(n => n / parameters.DomainsPerHost).ToArray();
        var migrations = new MigrationSpec[count];
        for (var i = 0; i < count; i++) migrations[i] = Move(starts[i], hostIndexByDomain, parameters.Hosts, random);
        return migrations;
    }

    private static MigrationSpec Move(TimeSpan at, int[] hostIndexByDomain, int hostCount, SplitMix64 random)
    {
        var domain = (int)random.NextInt64(hostIndexByDomain.Length);
        var from = hostIndexByDomain[domain];
        // Draw among the other hosts: skip over the current one.
        var to = (int)random.NextInt64(hostCount - 1);
        if (to >= from) to++;
        hostIndexByDomain[domain] = to;
        return new MigrationSpec
        {
            Domain = DatacenterDomains.DomainName(domain),
            To = DatacenterGenerator.HostName(to),
            At = at,
            UnplugReplug = random.OneIn(10),
        };
    }
}
