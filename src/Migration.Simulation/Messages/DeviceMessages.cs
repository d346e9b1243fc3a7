using Migration.Actors;
using Migration.Xen.Dma;

namespace Migration.Simulation.Messages;

// Commands a Device handles, and its replies.

/// <summary>The device now belongs to a domain of this many pages (its buffer ring is placed in it).</summary>
public sealed record AttachToDomain(string Domain, long DomainPages);

public sealed record DetachFromDomain;

/// <summary>Emit the DMA of [FromTicks, now) through the IommuUnit; answer <paramref name="ReplyTo"/> with <see cref="DmaFlushed"/>.</summary>
public sealed record FlushDma(int Migration, long FromTicks, IActorRef ReplyTo);

/// <summary>
/// What the IommuUnit did with a burst: faults, and the transactions it let through, whose writes an
/// emulator would report (empty when none went through).
/// </summary>
public sealed record DmaTranslatedReply(int Migration, long Faults, DmaSlice Applied, IActorRef ReplyTo);

/// <summary>A device's DMA up to now is accounted for. <paramref name="ReportedPages"/>: what its emulator reports, or null without one.</summary>
public sealed record DmaFlushed(int Migration, string Bdf, long Faults, IReadOnlyList<long>? ReportedPages);
