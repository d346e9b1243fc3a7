using Migration.Xen.Dma;
using Migration.Xen.Memory;

namespace Migration.Simulation.Messages;

// Commands a Domain handles, and its replies.

/// <summary>From the IommuUnit once log-dirty is allowed: write-protect the P2M, start the bitmap.</summary>
public sealed record StartLogDirty;

public sealed record StopLogDirty;

/// <summary>Read and clean the log-dirty bitmap (up to now); the reply hands the bitmap over.</summary>
public sealed record PeekAndClean(int Migration);

public sealed record DirtyPagesRead(int Migration, PageBitmap Pages, long CpuPages);

/// <summary>DMA the IommuUnit let through: its writes are applied to memory (the oracle sees each); its reads change nothing.</summary>
public sealed record ApplyDmaWrites(int Migration, DmaSlice Transactions);

public sealed record PauseDomain;

public sealed record ResumeDomain;

public sealed record DestroyDomain;

/// <summary>From now the domain's vCPUs lose the guest time <paramref name="LostBy"/> gives by a tick (held out of guest mode by Device-TLB flushes); null: no more.</summary>
public sealed record LoseGuestTime(Func<long, long>? LostBy);
