using Migration.Scenarios.Model;

namespace Migration.Scenarios.Generators;

/// <summary>
/// The datacenter's migrations, in time order: each moves a domain to a host other than the one it
/// would be on had every earlier migration succeeded; 1 in 10 unplugs and replugs its devices.
/// </summary>
/// <remarks>
/// The domain is drawn by size: each migration takes the next memory size from a shuffled deck of
/// the sizes the datacenter has (reshuffled when used up), then a random domain of that size. Every
/// size migrates equally often, so the memory migrated, which sets most of a run's work, grows with
/// the number of migrations rather than with the luck of the draw (drawing domains uniformly, the
/// 128-host datacenter migrated 2.14 times the memory of the 64-host one, which made comparing their
/// run times a comparison of draws).
/// </remarks>
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
        var bySize = domains.Select((domain, index) => (domain.MemoryBytes, index))
            .GroupBy(d => d.MemoryBytes, d => d.index)
            .OrderBy(g => g.Key)
            .Select(g => g.ToArray())
            .ToArray();
        var deck = new SizeDeck(bySize.Length, random);
        var migrations = new MigrationSpec[count];
        for (var i = 0; i < count; i++)
        {
            var sameSize = bySize[deck.Next()];
            var domain = sameSize[random.NextInt64(sameSize.Length)];
            migrations[i] = Move(starts[i], domain, hostIndexByDomain, parameters.Hosts, random);
        }
        return migrations;
    }

    private static MigrationSpec Move(TimeSpan at, int domain, int[] hostIndexByDomain, int hostCount, SplitMix64 random)
    {
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

    /// <summary>Size classes 0 to count - 1, each once per round, in an order shuffled for each round.</summary>
    private sealed class SizeDeck(int count, SplitMix64 random)
    {
        private readonly int[] order = Enumerable.Range(0, count).ToArray();
        private int next = count;

        public int Next()
        {
            if (next == order.Length)
            {
                // Fisher-Yates.
                for (var i = order.Length - 1; i > 0; i--)
                {
                    var j = (int)random.NextInt64(i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
                next = 0;
            }
            return order[next++];
        }
    }
}
