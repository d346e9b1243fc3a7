namespace Migration.Xen.Memory;

/// <summary>
/// A domain's memory as a value: its size, what its vCPUs' writer was made from, how long it has run
/// (or, paused, had run), and the DMA write counts of the pages DMA reached, by chunk of 4,096 pages.
/// </summary>
/// <param name="RunningSinceTicks">When it last resumed, or -1 while paused.</param>
public sealed record MemoryImage(
    long PageCount, double WorkingSetFraction, double DirtyBytesPerSecond, ulong WriterSeed, long RunningTicksBefore, long RunningSinceTicks,
    IReadOnlyList<MemoryImage.DmaChunk> DmaChunks)
{
    /// <summary>The DMA write count of each page of chunk <paramref name="Index"/> (pages Index * 4096 onwards).</summary>
    public sealed record DmaChunk(int Index, uint[] Versions);
}
