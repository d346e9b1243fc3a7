using Migration.Actors;
using Migration.Xen;
using Migration.Xen.Dma;
using Migration.Xen.Policies;

namespace Migration.Simulation.Messages;

// Commands an IommuUnit handles, and its replies.

/// <summary>A domain now exists on this host: its IOMMU context (flags the rules read).</summary>
public sealed record RegisterDomain(DomainFacts Facts, IActorRef Domain);

public sealed record UnregisterDomain(string Domain);

/// <summary>
/// Enable global log-dirty for a domain (the veto point). <paramref name="Waive"/>: a counterfactual
/// run lets a refusal through. <paramref name="Io"/>: what the domain's grants and balloon ask of the
/// IOMMU while it migrates (from log-dirty on until it is off).
/// </summary>
public sealed record EnableLogDirty(string Domain, int Migration, bool Waive, Migration.Scenarios.Model.IoSpec? Io, int Vcpus = 1);

public sealed record LogDirtyEnabledReply(string Domain, Refusal? Waived);

public sealed record LogDirtyVetoedReply(string Domain, Refusal Refusal);

public sealed record DisableLogDirty(string Domain);

/// <summary>
/// The domain is being paused for the final copy: its balloon frees no more pages. The answer
/// (<see cref="FlushWait"/>) says until when the pause waits for the Device-TLB flush its vCPU is
/// spinning on (that hypercall must return first).
/// </summary>
public sealed record QuiesceFlushes(string Domain);

/// <param name="UntilTicks">When the flush under way ends (now: none is); the pause completes then.</param>
/// <param name="TimesOut">It times out then instead: the domain is crashed, and the pause never completes.</param>
public sealed record FlushWait(string Domain, long UntilTicks, bool TimesOut);

/// <summary>The hypervisor crashed the domain (<c>domain_crash()</c>) during migration <paramref name="Migration"/>: to its toolstack, which forwards it to the migration's coordinator.</summary>
public sealed record DomainCrashed(string Domain, int Migration, string Reason);

/// <summary>A Device-TLB flush timed out on these devices (Xen 4.8 to 4.15): the hypervisor marked them broken; to their host's toolstack.</summary>
public sealed record DevicesBroken(string Domain, IReadOnlyList<string> Bdfs);

/// <param name="FailPage">The page of the device's RMRR whose identity mapping fails (a scenario's hot-plug fail-page), or null.</param>
public sealed record AssignDevice(string Domain, DeviceFacts Device, IActorRef DeviceActor, int Migration, bool Waive, long? FailPage = null);

/// <summary>A scenario's memory-add: <paramref name="Pages"/> hot-added to the host's hardware domain, page <paramref name="FailPage"/> (from 1) failing to map, if any.</summary>
public sealed record AddMemory(int Event, long Pages, long? FailPage);

/// <summary>A scenario's mmio-map: the hardware domain maps <paramref name="Pages"/> of a BAR in one set_entry call, page <paramref name="FailPage"/> (from 1) failing to map in the IOMMU, if any.</summary>
public sealed record MapMmio(int Event, long Pages, long? FailPage);

/// <summary>
/// A scenario's altp2m or sharing event for a domain of this host (seeds/003). <paramref name="DomainPages"/>:
/// the domain's memory in pages; <paramref name="ClientPages"/>: a share's client's, or null when the
/// client is not on this host.
/// </summary>
public sealed record SharingEvent(int Event, Migration.Scenarios.Model.EventSpec Spec, long DomainPages, long? ClientPages);

public sealed record DeviceAssignedReply(string Domain, string Bdf, Refusal? Waived);

public sealed record DeviceAssignRefusedReply(string Domain, string Bdf, Refusal Refusal);

/// <summary>Take a device from its domain; <paramref name="Migration"/> (-1: none) is the migration unplugging it, whose oracle counts what its Device-TLB flush costs.</summary>
public sealed record DeassignDevice(string Domain, string Bdf, int Migration = -1, int Vcpus = 1);

public sealed record DeviceDeassignedReply(string Domain, string Bdf);

/// <summary>A domain feature a scenario event turns on: each has the hypervisor's own check.</summary>
public enum DomainFeature
{
    MemSharing,
    MemPaging,
}

/// <summary>Turn <paramref name="Feature"/> on for a domain of this host (mem_sharing_control, the paging ring).</summary>
public sealed record EnableDomainFeature(string Domain, DomainFeature Feature);

public sealed record DomainFeatureEnabledReply(string Domain, DomainFeature Feature);

public sealed record DomainFeatureRefusedReply(string Domain, DomainFeature Feature, Refusal Refusal);

/// <summary>A device's DMA over an interval, to translate; results go to the device, writes to the domain.</summary>
public sealed record DmaBurst(string Domain, string Bdf, int Migration, DmaSlice Transactions, IActorRef ReplyTo);
