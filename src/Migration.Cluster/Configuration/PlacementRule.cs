namespace Migration.Cluster.Configuration;

/// <summary>How simulated hosts that no node lists are spread over a cluster's nodes.</summary>
public enum PlacementRule
{
    /// <summary>Host i goes to node i mod N, in scenario order.</summary>
    RoundRobin,

    /// <summary>Every migration's source and destination go to different nodes.</summary>
    SeparateMigrations,
}
