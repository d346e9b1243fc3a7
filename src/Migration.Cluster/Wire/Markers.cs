namespace Migration.Cluster.Wire;

// Every message of proto/cluster.proto goes through ClusterWireSerializer.

public sealed partial class StatusRequest : IClusterWire;

public sealed partial class StatusReply : IClusterWire;

public sealed partial class Member : IClusterWire;

public sealed partial class MembershipEvent : IClusterWire;
