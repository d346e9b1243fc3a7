using Migration.Cluster.Configuration;
using Migration.Scenarios.Model;

namespace Migration.Cluster.Runs;

/// <summary>
/// Which node runs each simulated host of a scenario: the hosts a node lists, then the rest by the
/// config's rule. <c>round-robin</c> gives host i to node i mod N; <c>separate-migrations</c> puts
/// every migration's source and destination (following each domain from host to host) on different
/// nodes, colouring the hosts greedily, most-constrained first.
/// </summary>
public static class Placement
{
    /// <returns>Each host's node index (in <see cref="ClusterConfig.Nodes"/>), by host index.</returns>
    public static int[] Assign(ClusterConfig config, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scenario);
        var nodeOf = new int[scenario.Hosts.Count];
        Array.Fill(nodeOf, -1);
        var hostIndex = Enumerable.Range(0, scenario.Hosts.Count).ToDictionary(i => scenario.Hosts[i].Name, StringComparer.Ordinal);
        for (var n = 0; n < config.Nodes.Count; n++)
        {
            foreach (var name in config.Nodes[n].Hosts)
            {
                if (!hostIndex.TryGetValue(name, out var host))
                    throw new ClusterConfigException($"{config.ConfigPath}: node {config.Nodes[n].Name} lists host '{name}', which scenario {scenario.Name} does not have");
                if (nodeOf[host] >= 0)
                    throw new ClusterConfigException($"{config.ConfigPath}: host '{name}' is listed by node {config.Nodes[nodeOf[host]].Name} and node {config.Nodes[n].Name}");
                nodeOf[host] = n;
            }
        }
        if (config.Placement == PlacementRule.RoundRobin)
        {
            for (var h = 0; h < nodeOf.Length; h++)
            {
                if (nodeOf[h] < 0) nodeOf[h] = h % config.Nodes.Count;
            }
        }
        else
        {
            SeparateMigrations(config, scenario, nodeOf);
        }
        return nodeOf;
    }

    /// <summary>Every pair of hosts some domain moves between, following each domain's migrations in time order.</summary>
    public static IReadOnlyList<(int A, int B)> MigrationEdges(Scenario scenario)
    {
        var hostIndex = Enumerable.Range(0, scenario.Hosts.Count).ToDictionary(i => scenario.Hosts[i].Name, StringComparer.Ordinal);
        var where = scenario.Domains.ToDictionary(d => d.Name, d => hostIndex[d.Host], StringComparer.Ordinal);
        var edges = new HashSet<(int, int)>();
        foreach (var migration in scenario.Migrations.OrderBy(m => m.At))
        {
            var from = where[migration.Domain];
            var to = hostIndex[migration.To];
            if (from != to) edges.Add((Math.Min(from, to), Math.Max(from, to)));
            where[migration.Domain] = to;
        }
        return edges.Order().ToArray();
    }

    /// <summary>How many colourings of single hosts the search tries before it gives up (a limit on every loop).</summary>
    public const int ColouringStepsMax = 2_000_000;

    /// <summary>
    /// Colours the hosts not yet placed so that no two hosts a domain moves between share a node: a
    /// backtracking search that colours the most constrained host first (DSATUR) and tries its nodes
    /// least loaded first, so the hosts spread evenly where the constraints allow.
    /// </summary>
    private static void SeparateMigrations(ClusterConfig config, Scenario scenario, int[] nodeOf)
    {
        var nodes = config.Nodes.Count;
        var neighbours = Enumerable.Range(0, nodeOf.Length).Select(_ => new List<int>()).ToArray();
        foreach (var (a, b) in MigrationEdges(scenario))
        {
            neighbours[a].Add(b);
            neighbours[b].Add(a);
        }
        foreach (var (a, b) in MigrationEdges(scenario))
        {
            if (nodeOf[a] >= 0 && nodeOf[a] == nodeOf[b])
                throw new ClusterConfigException($"{config.ConfigPath}: hosts '{scenario.Hosts[a].Name}' and '{scenario.Hosts[b].Name}' are both listed by node {config.Nodes[nodeOf[a]].Name}, but a domain migrates between them (placement = separate-migrations)");
        }
        var load = new int[nodes];
        foreach (var node in nodeOf.Where(n => n >= 0)) load[node]++;
        var steps = 0;
        if (Colour(nodeOf, neighbours, load, ref steps)) return;
        var stuck = Enumerable.Range(0, nodeOf.Length).Where(h => nodeOf[h] < 0).OrderByDescending(h => neighbours[h].Count).First();
        throw new ClusterConfigException(
            $"{config.ConfigPath}: placement = separate-migrations cannot put every migration's source and destination on different nodes with {nodes} nodes " +
            $"({(steps >= ColouringStepsMax ? $"no placement found in {ColouringStepsMax:N0} tries" : "there is none")}; host '{scenario.Hosts[stuck].Name}' " +
            $"migrates with {string.Join(", ", neighbours[stuck].Select(n => scenario.Hosts[n].Name))}); use more nodes or placement = round-robin");
    }

    private static bool Colour(int[] nodeOf, List<int>[] neighbours, int[] load, ref int steps)
    {
        var host = -1;
        var bestSaturation = -1;
        for (var h = 0; h < nodeOf.Length; h++)
        {
            if (nodeOf[h] >= 0) continue;
            var saturation = neighbours[h].Where(n => nodeOf[n] >= 0).Select(n => nodeOf[n]).Distinct().Count();
            if (saturation > bestSaturation || (saturation == bestSaturation && neighbours[h].Count > neighbours[host].Count))
            {
                host = h;
                bestSaturation = saturation;
            }
        }
        if (host < 0) return true;
        var used = neighbours[host].Where(n => nodeOf[n] >= 0).Select(n => nodeOf[n]).ToHashSet();
        foreach (var node in Enumerable.Range(0, load.Length).Where(n => !used.Contains(n)).OrderBy(n => load[n]).ThenBy(n => n))
        {
            if (++steps > ColouringStepsMax) return false;
            nodeOf[host] = node;
            load[node]++;
            if (Colour(nodeOf, neighbours, load, ref steps)) return true;
            load[node]--;
            nodeOf[host] = -1;
            if (steps > ColouringStepsMax) return false;
        }
        return false;
    }
}
