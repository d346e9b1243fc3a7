namespace Migration.Cluster.Wire;

// Every message of proto/cluster.proto goes through ClusterWireSerializer.

public sealed partial class StatusRequest : IClusterWire;

public sealed partial class StatusReply : IClusterWire;

public sealed partial class Member : IClusterWire;

public sealed partial class MembershipEvent : IClusterWire;

public sealed partial class StartRun : IClusterWire;

public sealed partial class RunProgress : IClusterWire;

public sealed partial class RunDone : IClusterWire;

public sealed partial class RunAlone : IClusterWire;

public sealed partial class RoundTripsRequest : IClusterWire;

public sealed partial class RoundTripsDone : IClusterWire;

public sealed partial class Ping : IClusterWire;

public sealed partial class Pong : IClusterWire;

public sealed partial class RunFailed : IClusterWire;

public sealed partial class OpenPartition : IClusterWire;

public sealed partial class PartitionOpened : IClusterWire;

public sealed partial class RunWindowRequest : IClusterWire;

public sealed partial class EnvelopeBatch : IClusterWire;

public sealed partial class WindowDone : IClusterWire;

public sealed partial class ClosePartition : IClusterWire;

public sealed partial class PartitionClosed : IClusterWire;

public sealed partial class PartitionResultMessage : IClusterWire;

public sealed partial class CounterfactualRequest : IClusterWire;

public sealed partial class CounterfactualDone : IClusterWire;

public sealed partial class PartitionFailed : IClusterWire;

public sealed partial class CoordinatorRunAccepted : IClusterWire;

public sealed partial class CoordinatorFirstRunDone : IClusterWire;

public sealed partial class CoordinatorVerdict : IClusterWire;

public sealed partial class CoordinatorCommitted : IClusterWire;

public sealed partial class CoordinatorRunAnswered : IClusterWire;
