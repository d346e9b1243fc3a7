using Migration.Actors;
using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Memory;
using Migration.Xen.Policies;

namespace Migration.Simulation.Messages;

// Between the operator, toolstacks and migration coordinators.

/// <summary>The operator's <c>xl migrate</c>: migration <paramref name="Index"/> of the scenario.</summary>
public sealed record MigrateDomain(int Index, MigrationSpec Spec);

/// <summary>Source to destination toolstack: can you take this domain?</summary>
public sealed record ProposeMigration(int Index, string Domain, int FromHost, long MemoryBytes, TscMode Tsc, long SourceTscKhz, int DevicesNeeded, IActorRef Coordinator);

public sealed record MigrationAccepted(int Index);

public sealed record MigrationRejected(int Index, Refusal Refusal);

public sealed record CancelReservation(int Index);

/// <summary>The final copy has arrived: create the domain paused here and assign its devices (phase one).</summary>
public sealed record PrepareHandover(int Index, DomainSpec Spec, DomainFacts Facts, GuestMemory Memory, int Incarnation, bool UnplugReplug, bool Waive, IActorRef Coordinator);

public sealed record HandoverPrepared(int Index, Refusal? Waived);

public sealed record HandoverRefused(int Index, Refusal Refusal);

/// <summary>Phase two: resume the domain here. Sent until acknowledged; idempotent.</summary>
public sealed record CommitHandover(int Index);

/// <summary>The destination resumed the domain; <paramref name="ReplugRefusals"/>: devices it could not plug back (unplug-replug).</summary>
public sealed record HandoverCommitted(int Index, long ResumedTicks, IReadOnlyList<Refusal> ReplugRefusals);

/// <summary>Abandon the incoming copy (phase one failed or timed out on the source). Sent until acknowledged; idempotent.</summary>
public sealed record AbortHandover(int Index);

/// <summary>From a coordinator to its toolstack: the domain has left (free its devices) or stayed.</summary>
public sealed record MigrationFinished(int Index, string Domain, bool Left, IReadOnlyList<string> UnpluggedBdfs);

/// <summary>Source to destination with each pass: keep the reservation for this much longer (a lease that lapses if the source goes quiet).</summary>
public sealed record KeepReservation(int Index, long LeaseTicks);

/// <summary>The destination discarded its prepared copy on the source's abort.</summary>
public sealed record HandoverAborted(int Index);

/// <summary>The destination holds nothing for this migration (never prepared, or already discarded).</summary>
public sealed record HandoverUnknown(int Index);
