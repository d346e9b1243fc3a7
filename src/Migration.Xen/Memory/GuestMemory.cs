namespace Migration.Xen.Memory;

/// <summary>
/// A domain's memory: 4 KiB pages, each with a content version, and the log-dirty bitmap. The vCPUs
/// write through a <see cref="SweepWriter"/> whose writes are applied when someone looks (the
/// bitmap is brought up to date at a peek); DMA writes arrive one by one from the IOMMU and are
/// counted per page in chunks allocated on first use. A page's content version is its CPU write count
/// plus its DMA write count, so equal versions mean equal contents.
/// </summary>
public sealed class GuestMemory : IDisposable
{
    private const int ChunkPages = 4096;

    // Allocated at the first DMA write: most domains never see one.
    private uint[]?[]? dmaVersions;
    private readonly ICpuClock clock;
    private double cpuTicksBefore;
    private double runningSinceCpu;
    private bool paused;
    private PageBitmap? logDirty;
    private readonly PageBitmapPool bitmaps;
    private long loggedWrites;

    /// <param name="startTicks">When it starts running; -1: it is made paused.</param>
    /// <param name="bitmaps">Where log-dirty bitmaps come from and go back to (a run shares one); null: a pool of its own.</param>
    /// <param name="clock">The CPU time its vCPUs get (the host's CPUs, shared); null: a CPU each.</param>
    public GuestMemory(long pageCount, SweepWriter writer, long startTicks, PageBitmapPool? bitmaps = null, ICpuClock? clock = null)
    {
        this.clock = clock ?? DedicatedCpus.Instance;
        this.bitmaps = bitmaps ?? new PageBitmapPool();
        ArgumentNullException.ThrowIfNull(writer);
        if (writer.PageCount != pageCount) throw new ArgumentException($"the writer covers {writer.PageCount} pages, the memory {pageCount}", nameof(writer));
        PageCount = pageCount;
        Writer = writer;
        if (startTicks < 0) paused = true;
        else runningSinceCpu = this.clock.At(startTicks);
    }

    public long PageCount { get; }

    public SweepWriter Writer { get; }

    public bool Paused => paused;

    public bool LogDirtyEnabled => logDirty is not null;

    /// <summary>CPU writes made up to <paramref name="nowTicks"/> (the vCPUs write only while the domain runs).</summary>
    public long CpuWritesAt(long nowTicks) => Writer.WritesAfter(RunningTicksAt(nowTicks));

    public void Pause(long nowTicks)
    {
        if (Paused) throw new InvalidOperationException("the domain is already paused");
        cpuTicksBefore = RunningTicksAt(nowTicks);
        paused = true;
    }

    public void Resume(long nowTicks)
    {
        if (!Paused) throw new InvalidOperationException("the domain is already running");
        runningSinceCpu = clock.At(nowTicks);
        lostAtRunningSince = LostAt(nowTicks);
        paused = false;
    }

    /// <summary>Turns global log-dirty on: from now every CPU write sets its page's bit.</summary>
    public void EnableLogDirty(long nowTicks)
    {
        if (logDirty is not null) throw new InvalidOperationException("log-dirty is already on");
        logDirty = bitmaps.Rent(PageCount);
        loggedWrites = CpuWritesAt(nowTicks);
    }

    /// <summary>
    /// Returns the pages dirtied since log-dirty was enabled or last cleaned (the caller owns it and
    /// disposes it, which hands it back for reuse) and starts a clean one: XEN_DOMCTL_SHADOW_OP_CLEAN.
    /// </summary>
    public PageBitmap PeekAndClean(long nowTicks)
    {
        var bitmap = logDirty ?? throw new InvalidOperationException("log-dirty is off");
        var writes = CpuWritesAt(nowTicks);
        Writer.MarkWrites(loggedWrites, writes, bitmap);
        loggedWrites = writes;
        logDirty = bitmaps.Rent(PageCount);
        return bitmap;
    }

    public void DisableLogDirty()
    {
        logDirty?.Dispose();
        logDirty = null;
    }

    /// <summary>A DMA write reached <paramref name="page"/> (the IOMMU let it through).</summary>
    public void WriteByDma(long page)
    {
        if ((ulong)page >= (ulong)PageCount) throw new ArgumentOutOfRangeException(nameof(page), page, $"pages are [0, {PageCount})");
        dmaVersions ??= new uint[(PageCount + ChunkPages - 1) / ChunkPages][];
        var chunk = dmaVersions[page / ChunkPages] ??= new uint[ChunkPages];
        chunk[page % ChunkPages]++;
    }

    /// <summary>The content version of <paramref name="page"/> at <paramref name="nowTicks"/>.</summary>
    public long VersionOf(long page, long nowTicks)
    {
        var chunk = dmaVersions?[page / ChunkPages];
        var dma = chunk is null ? 0 : chunk[page % ChunkPages];
        return Writer.VersionOf(page, CpuWritesAt(nowTicks)) + dma;
    }

    /// <summary>
    /// The memory as it stands, as a value: what a migration's final copy hands the destination,
    /// which makes its own memory from it (<see cref="FromImage"/>), in this process or another.
    /// Taken paused with log-dirty off (the source paused it and turned log-dirty off at the stop-and-copy).
    /// </summary>
    public MemoryImage Image()
    {
        if (logDirty is not null) throw new InvalidOperationException("log-dirty is on: a memory image is taken after the stop-and-copy");
        if (!paused) throw new InvalidOperationException("the domain runs: a memory image is taken of a paused domain");
        var chunks = new List<MemoryImage.DmaChunk>();
        if (dmaVersions is not null)
        {
            for (var i = 0; i < dmaVersions.Length; i++)
            {
                if (dmaVersions[i] is { } chunk) chunks.Add(new MemoryImage.DmaChunk(i, (uint[])chunk.Clone()));
            }
        }
        return new MemoryImage(PageCount, Writer.WorkingSetFraction, Writer.DirtyBytesPerSecond, Writer.Seed, cpuTicksBefore, chunks);
    }

    /// <summary>
    /// A memory equal to the one <paramref name="image"/> was taken of, paused, its bitmaps from
    /// <paramref name="bitmaps"/> and its CPU time from <paramref name="clock"/> once resumed.
    /// </summary>
    public static GuestMemory FromImage(MemoryImage image, PageBitmapPool? bitmaps = null, ICpuClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var writer = new SweepWriter(image.PageCount, image.WorkingSetFraction, image.DirtyBytesPerSecond, image.WriterSeed);
        var memory = new GuestMemory(image.PageCount, writer, -1, bitmaps, clock) { cpuTicksBefore = image.CpuTicksBefore };
        if (image.DmaChunks.Count == 0) return memory;
        var chunkCount = (image.PageCount + ChunkPages - 1) / ChunkPages;
        memory.dmaVersions = new uint[chunkCount][];
        foreach (var chunk in image.DmaChunks)
        {
            if (chunk.Index < 0 || chunk.Index >= chunkCount || chunk.Versions.Length != ChunkPages)
                throw new ArgumentException($"DMA chunk {chunk.Index} of {chunk.Versions.Length} pages does not fit a memory of {image.PageCount} pages", nameof(image));
            memory.dmaVersions[chunk.Index] = (uint[])chunk.Versions.Clone();
        }
        return memory;
    }

    public void Dispose() => DisableLogDirty();

    private double RunningTicksAt(long nowTicks) =>
        paused ? cpuTicksBefore : cpuTicksBefore + (clock.At(nowTicks) - runningSinceCpu) - (LostAt(nowTicks) - lostAtRunningSince);

    // Guest time lost (vCPUs held out of guest mode) by a tick: what finished losers lost, and the live one's.
    private Func<long, long>? loser;
    private long lostBefore;
    private long lostAtRunningSince;

    private long LostAt(long nowTicks) => loser is null ? lostBefore : lostBefore + loser(nowTicks);

    /// <summary>
    /// From <paramref name="nowTicks"/>, the vCPUs lose the guest time <paramref name="lostBy"/> gives
    /// by a tick (from 0 now, never decreasing, at most the time elapsed): held out of guest mode by
    /// Device-TLB flushes, they dirty nothing then. Null: no more is lost. Only where every vCPU has a
    /// CPU of its own (on shared CPUs the loss is not taken from the CPU clock, and nothing is lost).
    /// </summary>
    public void LoseTime(Func<long, long>? lostBy, long nowTicks)
    {
        if (clock is not DedicatedCpus) return;
        var before = LostAt(nowTicks);
        loser = null;
        lostBefore = before - (lostBy?.Invoke(nowTicks) ?? 0);
        loser = lostBy;
    }
}
