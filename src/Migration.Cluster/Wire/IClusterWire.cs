namespace Migration.Cluster.Wire;

/// <summary>
/// Marks the protobuf messages of proto/cluster.proto: Akka binds this interface to
/// <see cref="ClusterWireSerializer"/>, so every message between nodes goes as protobuf.
/// </summary>
public interface IClusterWire;
