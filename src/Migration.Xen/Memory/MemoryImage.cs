namespace Migration.Xen.Memory;

/// <summary>
/// A paused domain's memory as a value: its size, what its vCPUs' writer was made from, how much CPU
/// time they had had, and the DMA write counts of the pages DMA reached, by chunk of 4,096 pages.
/// </summary>
/// <param name="CpuTicksBefore">The CPU time its vCPUs had had when it paused (ticks; its running time, where each had a CPU).</param>
public sealed record MemoryImage(
    long PageCount, double WorkingSetFraction, double DirtyBytesPerSecond, ulong WriterSeed, double CpuTicksBefore,
    IReadOnlyList<MemoryImage.DmaChunk> DmaChunks)
{
    /// <summary>The DMA write count of each page of chunk <paramref name="Index"/> (pages Index * 4096 onwards).</summary>
    public sealed record DmaChunk(int Index, uint[] Versions);
}
