using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;

namespace Migration.Scenarios.Validation;

/// <summary>Migrations and faults: they name existing domains and hosts, and happen at times that make sense.</summary>
internal static class ScheduleRules
{
    public static void CheckMigrations(IReadOnlyList<MigrationSpec> migrations, NameIndex<HostSpec> hosts, NameIndex<DomainSpec> domains, SourceMap map)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            var migration = migrations[i];
            var path = SourceMap.Item("migrations", i);
            domains.Resolve(migration.Domain, SourceMap.Child(path, "domain"), map);
            hosts.Resolve(migration.To, SourceMap.Child(path, "to"), map);
            Rule.NotNegative(migration.At, map, SourceMap.Child(path, "at"));
        }
    }

    public static void CheckFaults(IReadOnlyList<FaultSpec> faults, NameIndex<HostSpec> hosts, SourceMap map)
    {
        for (var i = 0; i < faults.Count; i++)
        {
            var fault = faults[i];
            var path = SourceMap.Item("faults", i);
            hosts.Resolve(fault.Host, SourceMap.Child(path, "host"), map);
            Rule.NotNegative(fault.At, map, SourceMap.Child(path, "at"));
            if (fault.Kind == FaultKind.LinkDown) CheckLinkDown(fault, hosts, path, map);
            else CheckNoLinkFields(fault, path, map);
        }
    }

    private static void CheckLinkDown(FaultSpec fault, NameIndex<HostSpec> hosts, string path, SourceMap map)
    {
        var peerPath = SourceMap.Child(path, "peer");
        if (fault.Peer is null) throw map.Error(peerPath, "is required for link-down (the host at the other end of the link)");
        hosts.Resolve(fault.Peer, peerPath, map);
        Rule.That(fault.Peer != fault.Host, map, peerPath, $"'{fault.Peer}' is the fault's own host; a link joins two different hosts");
        Rule.That(fault.Duration is null || fault.Duration > TimeSpan.Zero, map, SourceMap.Child(path, "for"),
            $"must be greater than 0 (is {fault.Duration}); leave it out for the rest of the run");
    }

    private static void CheckNoLinkFields(FaultSpec fault, string path, SourceMap map)
    {
        var kind = ScalarParsers.NameOf(fault.Kind);
        Rule.That(fault.Peer is null, map, SourceMap.Child(path, "peer"), $"applies only to link-down, not to {kind}");
        Rule.That(fault.Duration is null, map, SourceMap.Child(path, "for"), $"applies only to link-down, not to {kind}");
    }
}
