namespace Migration.Cluster.Configuration;

/// <summary>One node of a cluster config: its name, where it listens, the simulated hosts it asks for, its journal.</summary>
/// <param name="Hosts">Simulated hosts the node runs by name (empty: placed by the placement rule).</param>
/// <param name="Journal">The node's own journal URI, or null for the cluster's.</param>
public sealed record NodeEntry(string Name, string Hostname, int Port, IReadOnlyList<string> Hosts, string? Journal);
