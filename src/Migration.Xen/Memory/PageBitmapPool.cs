namespace Migration.Xen.Memory;

/// <summary>
/// Cleared bitmaps kept for reuse, by size: a migration takes a few and gives them back, so a run
/// with hundreds of migrations allocates bitmaps (and the chunks they grew) once per size, not per
/// pass. Not thread-safe: a run is driven from one thread, and uses that thread's pool.
/// </summary>
public sealed class PageBitmapPool
{
    [ThreadStatic] private static PageBitmapPool? current;

    /// <summary>
    /// The current thread's pool, shared by the runs it drives one after another: a bitmap comes back
    /// cleared, so the next run reuses it (its bitmap of full chunks, its map of partial ones) rather
    /// than allocating them again (an experiment or a benchmark executes hundreds of runs). Kept for the thread's life, within
    /// <see cref="PerSizeMax"/> bitmaps per size and <see cref="ChunksMax"/> chunks.
    /// </summary>
    public static PageBitmapPool ForCurrentThread => current ??= new PageBitmapPool();

    /// <summary>Bitmaps kept per size.</summary>
    public const int PerSizeMax = 256;

    /// <summary>Free chunks kept (512 bytes each).</summary>
    public const int ChunksMax = 1 << 16;

    private readonly Dictionary<long, Stack<PageBitmap>> bySize = new();
    private readonly Stack<ulong[]> chunks = new();

    internal ulong[] RentChunk() => chunks.TryPop(out var chunk) ? chunk : new ulong[PageBitmap.ChunkWords];

    internal void ReturnChunk(ulong[] chunk)
    {
        if (chunks.Count >= ChunksMax) return;
        Array.Clear(chunk);
        chunks.Push(chunk);
    }

    public PageBitmap Rent(long pageCount)
    {
        if (!bySize.TryGetValue(pageCount, out var stack) || !stack.TryPop(out var reused)) return PageBitmap.ForPool(pageCount, this);
        reused.Reuse();
        return reused;
    }

    internal void Return(PageBitmap bitmap)
    {
        if (!bySize.TryGetValue(bitmap.PageCount, out var stack)) bySize[bitmap.PageCount] = stack = new Stack<PageBitmap>();
        if (stack.Count < PerSizeMax) stack.Push(bitmap);
    }
}
