using Migration.Persistence.Serialization;
using Migration.Simulation.Events;

namespace Migration.Simulation.Running;

/// <summary>The journal types of the simulation (proto/xen.proto), all at version 1.</summary>
public static class SimulationSerializer
{
    public static EventSerializer Create() => new EventSerializer()
        .Register<DomainCreated>().Register<DomainPaused>().Register<DomainResumed>().Register<DomainDestroyed>()
        .Register<LogDirtyStarted>().Register<LogDirtyStopped>().Register<DirtyBitmapRead>()
        .Register<LogDirtyEnabled>().Register<LogDirtyVetoed>().Register<DeviceAssigned>().Register<DeviceDeassigned>()
        .Register<AssignRefused>().Register<DmaTranslated>()
        .Register<ReservationMade>().Register<ReservationReleased>()
        .Register<MigrationStarted>().Register<MigrationRefused>().Register<PassSent>().Register<HandoverDecided>().Register<MigrationEnded>()
        .Register<RefusalRecorded>().Register<ScenarioEventStarted>().Register<FeatureEnabled>()
        .Register<IommuCallFailed>().Register<DeviceTlbFlushTimedOut>().Register<StaleTranslationsReached>()
        .Register<SharingApplied>().Register<OracleFindingRecorded>();
}
