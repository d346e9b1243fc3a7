namespace Migration.Cluster.Configuration;

/// <summary>A cluster config that cannot be used: the message names the file and line (or key) and says what to do.</summary>
public sealed class ClusterConfigException(string message) : Exception(message);
