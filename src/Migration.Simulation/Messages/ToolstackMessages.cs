using Migration.Actors;
using Migration.Simulation.Actors;
using Migration.Simulation.Reports;
using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Memory;
using Migration.Xen.Policies;

namespace Migration.Simulation.Messages;

// Between the operator, toolstacks and migration coordinators.

/// <summary>The operator's <c>xl migrate</c>: migration <paramref name="Index"/> of the scenario.</summary>
public sealed record MigrateDomain(int Index, MigrationSpec Spec);

/// <summary>Source to destination toolstack: can you take this domain?</summary>
/// <param name="Tsc">The TSC the guest relies on (nomigrate counted: <see cref="Migration.Xen.Toolstacks.TscRules.Effective"/>).</param>
/// <param name="DevicesNeeded">Free devices to reserve: the first <paramref name="ReplugDevices"/> for an unplug-replug's re-plug, the rest to assign at the handover.</param>
public sealed record ProposeMigration(
    int Index, string Domain, int FromHost, long MemoryBytes, TscMode Tsc, long SourceTscKhz, int DevicesNeeded, int ReplugDevices, IActorRef Coordinator);

public sealed record MigrationAccepted(int Index);

public sealed record MigrationRejected(int Index, Refusal Refusal);

public sealed record CancelReservation(int Index);

/// <summary>
/// The final copy has arrived: create the domain paused here, its memory made from
/// <paramref name="Memory"/>, and assign its devices (phase one).
/// </summary>
/// <param name="DevicesAttached">Devices the domain has at the handover, each to be matched by an equivalent one here.</param>
public sealed record PrepareHandover(int Index, DomainSpec Spec, DomainFacts Facts, MemoryImage Memory, int Incarnation, int DevicesAttached, bool Waive, IActorRef Coordinator);

public sealed record HandoverPrepared(int Index, Refusal? Waived);

public sealed record HandoverRefused(int Index, Refusal Refusal);

/// <summary>Phase two: resume the domain here. Sent until acknowledged; idempotent.</summary>
public sealed record CommitHandover(int Index);

/// <summary>The destination resumed the domain; <paramref name="ReplugRefusals"/>: devices it could not plug back (unplug-replug).</summary>
public sealed record HandoverCommitted(int Index, long ResumedTicks, IReadOnlyList<DeviceRefusal> ReplugRefusals);

/// <summary>Abandon the incoming copy (phase one failed or timed out on the source). Sent until acknowledged; idempotent.</summary>
public sealed record AbortHandover(int Index);

/// <summary>From a coordinator to its toolstack: the domain has left (free its devices) or stayed.</summary>
public sealed record MigrationFinished(int Index, string Domain, bool Left, IReadOnlyList<string> UnpluggedBdfs);

/// <summary>Source to destination while its passes run, when a pass's end nears the lease's expiry: keep the reservation for this much longer (a lease that lapses if the source goes quiet).</summary>
public sealed record KeepReservation(int Index, long LeaseTicks);

/// <summary>The destination discarded its prepared copy on the source's abort.</summary>
public sealed record HandoverAborted(int Index);

/// <summary>The destination holds nothing for this migration (never prepared, or already discarded).</summary>
public sealed record HandoverUnknown(int Index);

// From a source toolstack to the coordinator of a domain that is migrating, when a scenario event
// changes the domain under it.

/// <summary>A device was hot-plugged into the domain: its DMA from now on counts.</summary>
public sealed record DeviceJoined(LocalDevice Device);

/// <summary>A device was hot-unplugged from the domain: what it did until now is flushed once more, then it is dropped.</summary>
public sealed record DeviceLeft(string Bdf);

/// <summary>The domain's flags changed (mem_sharing or mem_paging turned on): the copy on the destination carries them.</summary>
public sealed record DomainSpecChanged(DomainSpec Spec);

/// <summary>
/// From a destination toolstack to the operator's directory, once a domain runs there after a
/// migration: the pool database update XAPI's pool master receives. It takes the same latency as
/// every message between hosts, and is lost like them if the link is down.
/// </summary>
public sealed record DomainMoved(string Domain, int Host);

/// <summary>A scenario event, for the toolstack of the host it happens on (<paramref name="Index"/> in the scenario's events).</summary>
public sealed record ApplyEvent(int Index, EventSpec Spec);
