namespace Migration.Xen.Memory;

/// <summary>
/// The vCPUs' writes: a working set of whole 16 MiB blocks written page after page at a dirty rate,
/// the blocks visited in a seeded order, round and round. Write number <c>i</c> (counted over the
/// time the domain runs) lands on a page computed in O(1), so the pages written over any interval are
/// a handful of ranges set a word at a time, and a page's write count (its CPU content version) at
/// any moment is arithmetic, not storage. Writing n pages touches min(n, working set) distinct pages,
/// which is the byte-count model of SimGrid's live migration, kept per page.
/// </summary>
public sealed class SweepWriter
{
    /// <summary>
    /// Pages per block of the working set (16 MiB): one chunk of a <see cref="PageBitmap"/>, so a block
    /// written fills one chunk instead of scattering bits over many.
    /// </summary>
    public const int BlockPagesMax = PageBitmap.ChunkPages;

    private readonly long blocks;
    private readonly long multiplier;
    private readonly long multiplierInverse;
    private readonly long offset;

    public SweepWriter(long pageCount, double workingSetFraction, double dirtyBytesPerSecond, ulong seed)
    {
        if (pageCount < 1) throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "a domain has at least one page");
        if (!(workingSetFraction > 0 && workingSetFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(workingSetFraction), workingSetFraction, "the working set is a share in (0, 1]");
        if (!(dirtyBytesPerSecond >= 0) || double.IsInfinity(dirtyBytesPerSecond))
            throw new ArgumentOutOfRangeException(nameof(dirtyBytesPerSecond), dirtyBytesPerSecond, "a dirty rate is finite and not negative");
        PageCount = pageCount;
        WorkingSetFraction = workingSetFraction;
        DirtyBytesPerSecond = dirtyBytesPerSecond;
        Seed = seed;
        BlockPages = (int)Math.Min(BlockPagesMax, pageCount);
        var wanted = Math.Max(BlockPages, (long)(pageCount * workingSetFraction));
        blocks = Math.Max(1, wanted / BlockPages);
        WorkingSetPages = blocks * BlockPages;
        var startBlocks = (pageCount - WorkingSetPages) / BlockPages;
        WorkingSetStart = startBlocks == 0 ? 0 : (long)(SplitMix.At(seed, 0) % (ulong)(startBlocks + 1)) * BlockPages;
        PagesPerSecond = dirtyBytesPerSecond / PreCopy.Link.PageBytes;
        (multiplier, multiplierInverse) = PickMultiplier(blocks, SplitMix.At(seed, 1));
        offset = (long)(SplitMix.At(seed, 2) % (ulong)blocks);
    }

    public long PageCount { get; }

    // What the writer was made from: enough to make the same writer in another process.
    public double WorkingSetFraction { get; }
    public double DirtyBytesPerSecond { get; }
    public ulong Seed { get; }

    public int BlockPages { get; }

    public long WorkingSetStart { get; }

    public long WorkingSetPages { get; }

    public double PagesPerSecond { get; }

    /// <summary>How many writes were made in <paramref name="runningTicks"/> of running time (CPU time where CPUs are shared).</summary>
    public long WritesAfter(double runningTicks) => (long)Math.Floor(PagesPerSecond * runningTicks / TimeSpan.TicksPerSecond);

    /// <summary>Marks the pages written by writes [<paramref name="fromWrite"/>, <paramref name="toWrite"/>) in <paramref name="bitmap"/>; returns the pages newly marked.</summary>
    public long MarkWrites(long fromWrite, long toWrite, PageBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (fromWrite < 0 || toWrite < fromWrite) throw new ArgumentOutOfRangeException(nameof(fromWrite), $"writes [{fromWrite}, {toWrite})");
        if (toWrite - fromWrite >= WorkingSetPages) return bitmap.SetRange(WorkingSetStart, WorkingSetStart + WorkingSetPages);
        long added = 0;
        var i = fromWrite;
        while (i < toWrite)
        {
            var position = i % WorkingSetPages;
            var slot = position / BlockPages;
            var within = position % BlockPages;
            var run = Math.Min(BlockPages - within, toWrite - i);
            var first = WorkingSetStart + BlockOf(slot) * BlockPages + within;
            added += bitmap.SetRange(first, first + run);
            i += run;
        }
        return added;
    }

    /// <summary>Distinct pages written by writes [<paramref name="fromWrite"/>, <paramref name="toWrite"/>).</summary>
    public long DistinctPages(long fromWrite, long toWrite) => Math.Min(toWrite - fromWrite, WorkingSetPages);

    /// <summary>How many of the first <paramref name="writes"/> writes landed on <paramref name="page"/>: its CPU content version.</summary>
    public long VersionOf(long page, long writes)
    {
        if ((ulong)page >= (ulong)PageCount) throw new ArgumentOutOfRangeException(nameof(page), page, $"pages are [0, {PageCount})");
        var inSet = page - WorkingSetStart;
        if (inSet < 0 || inSet >= WorkingSetPages) return 0;
        var slot = SlotOf(inSet / BlockPages);
        var firstWrite = slot * BlockPages + inSet % BlockPages;
        return writes > firstWrite ? (writes - firstWrite - 1) / WorkingSetPages + 1 : 0;
    }

    /// <summary>The block visited in slot <paramref name="slot"/> of a round (an affine permutation of the blocks).</summary>
    private long BlockOf(long slot) => (long)(((UInt128)(ulong)slot * (ulong)multiplier + (ulong)offset) % (ulong)blocks);

    private long SlotOf(long block) =>
        (long)(((UInt128)(ulong)((block - offset) % blocks + blocks) * (ulong)multiplierInverse) % (ulong)blocks);

    private static (long Multiplier, long Inverse) PickMultiplier(long n, ulong draw)
    {
        if (n == 1) return (1, 1);
        var candidate = (long)(draw % (ulong)(n - 1)) + 1;
        while (Gcd(candidate, n) != 1) candidate = candidate % (n - 1) + 1;
        return (candidate, Inverse(candidate, n));
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private static long Inverse(long a, long n)
    {
        long t = 0, newT = 1, r = n, newR = a;
        while (newR != 0)
        {
            var q = r / newR;
            (t, newT) = (newT, t - q * newT);
            (r, newR) = (newR, r - q * newR);
        }
        return t < 0 ? t + n : t;
    }
}
