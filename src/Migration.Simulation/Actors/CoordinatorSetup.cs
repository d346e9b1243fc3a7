using Migration.Actors;
using Migration.Scenarios.Model;
using Migration.Xen.Memory;
using Migration.Xen.Policies;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Actors;

/// <summary>An assigned device as the source toolstack knows it.</summary>
public sealed record LocalDevice(string Bdf, IActorRef Actor, DeviceFacts Facts);

/// <summary>Everything a migration coordinator starts from, handed over by the source toolstack.</summary>
public sealed record CoordinatorSetup(
    int Index,
    MigrationSpec Migration,
    DomainSpec Domain,
    DomainFacts Facts,
    IActorRef DomainActor,
    GuestMemory Memory,
    int Incarnation,
    IReadOnlyList<LocalDevice> Devices,
    int FromHost,
    int ToHost,
    ToolstackKind Kind,
    IActorRef Iommu,
    IActorRef Destination);
