using System.Numerics;

namespace Migration.Xen.Memory;

/// <summary>
/// One bit per 4 KiB page (a log-dirty bitmap, a pass's send set), stored in chunks of 4,096 pages (16 MiB of guest memory, 512 bytes of bits)
/// allocated when a page in them is first set, so that reading, clearing and hashing cost what was
/// dirtied, not the domain's size. A bitmap can also be "every page" (pass 0) without storing a bit.
/// Ranges are set a word at a time; the count is kept as bits change; ranks (how many set pages
/// precede a page) come from per-chunk prefix counts built on demand.
/// </summary>
/// <remarks>
/// A chunk whose 4,096 pages are all set is not stored: it points at one shared, never-written
/// chunk of ones. A guest's writes sweep whole 16 MiB blocks (<see cref="SweepWriter"/>), so a busy
/// 16 GiB domain's dirty set is mostly full chunks; filling, clearing and hashing them then moves
/// no memory (the run-container idea of roaring bitmaps, at chunk granularity).
/// </remarks>
public sealed class PageBitmap : IDisposable
{
    public const int ChunkPages = 4096;
    internal const int ChunkWords = ChunkPages / 64;

    // Every bit set. Shared by all bitmaps, so never written: every write path checks for it first.
    private static readonly ulong[] FullChunk = CreateFullChunk();

    // FullChunkSum by chunk index, grown on demand and shared by every bitmap.
    private static readonly Lock FullChunkSumsGrowing = new();
    private static ulong[] fullChunkSums = [];

    private readonly ulong[]?[] chunks;
    private readonly bool full;
    private readonly PageBitmapPool? pool;
    private bool pooled;

    // Chunks that may hold set bits, so clearing and hashing cost what was set since the last clear,
    // not every chunk a reused bitmap ever grew.
    private readonly List<int> touched = new();
    private readonly bool[] isTouched;
    private long[]? rankPrefix;

    public PageBitmap(long pageCount) : this(pageCount, full: false, pool: null)
    {
    }

    /// <summary>A bitmap that goes back to <paramref name="pool"/> (cleared, its chunks kept) when disposed.</summary>
    internal static PageBitmap ForPool(long pageCount, PageBitmapPool pool) => new(pageCount, full: false, pool);

    private PageBitmap(long pageCount, bool full, PageBitmapPool? pool)
    {
        if (pageCount < 1 || pageCount > (long)int.MaxValue * ChunkPages)
            throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "a bitmap covers 1 page or more");
        PageCount = pageCount;
        this.full = full;
        this.pool = pool;
        chunks = full ? [] : new ulong[]?[(pageCount + ChunkPages - 1) / ChunkPages];
        isTouched = new bool[chunks.Length];
        Count = full ? pageCount : 0;
    }

    /// <summary>A read-only bitmap with every page set (what pass 0 sends).</summary>
    public static PageBitmap Every(long pageCount) => new(pageCount, full: true, pool: null);

    public long PageCount { get; }

    /// <summary>Pages set.</summary>
    public long Count { get; private set; }

    /// <summary>Sets one page; true when it was not set.</summary>
    public bool Set(long page)
    {
        CheckPage(page);
        CheckWritable();
        var chunk = ChunkFor(page / ChunkPages);
        ref var word = ref chunk[(page % ChunkPages) >> 6];
        var bit = 1UL << (int)(page & 63);
        if ((word & bit) != 0) return false; // always taken for the full chunk, so it is never written
        word |= bit;
        Count++;
        rankPrefix = null;
        return true;
    }

    /// <summary>Sets pages [<paramref name="fromPage"/>, <paramref name="toPageExclusive"/>); returns how many were newly set.</summary>
    public long SetRange(long fromPage, long toPageExclusive)
    {
        if (fromPage < 0 || toPageExclusive > PageCount || fromPage > toPageExclusive)
            throw new ArgumentOutOfRangeException(nameof(fromPage), $"range [{fromPage}, {toPageExclusive}) is outside pages [0, {PageCount})");
        CheckWritable();
        long added = 0;
        var page = fromPage;
        while (page < toPageExclusive)
        {
            var chunkIndex = page / ChunkPages;
            var chunkStart = chunkIndex * ChunkPages;
            var chunkEnd = Math.Min(toPageExclusive, chunkStart + ChunkPages);
            if (page == chunkStart && chunkEnd - chunkStart == ChunkPages)
            {
                added += FillChunk(chunkIndex);
            }
            else
            {
                var chunk = ChunkFor(chunkIndex);
                if (!ReferenceEquals(chunk, FullChunk)) added += SetInChunk(chunk, page - chunkStart, chunkEnd - chunkStart);
            }
            page = chunkEnd;
        }
        Count += added;
        rankPrefix = null;
        return added;
    }

    /// <summary>The chunk to set bits in, allocated if absent; may be <see cref="FullChunk"/>, which must not be written.</summary>
    private ulong[] ChunkFor(long chunkIndex)
    {
        var chunk = chunks[chunkIndex] ??= pool?.RentChunk() ?? new ulong[ChunkWords];
        Touch(chunkIndex);
        return chunk;
    }

    private void Touch(long chunkIndex)
    {
        if (isTouched[chunkIndex]) return;
        isTouched[chunkIndex] = true;
        touched.Add((int)chunkIndex);
    }

    /// <summary>Sets every page of a chunk by pointing it at the shared full chunk; returns the pages newly set.</summary>
    private long FillChunk(long chunkIndex)
    {
        var chunk = chunks[chunkIndex];
        if (ReferenceEquals(chunk, FullChunk)) return 0;
        long added = ChunkPages;
        if (chunk is not null)
        {
            foreach (var word in chunk) added -= BitOperations.PopCount(word);
            pool?.ReturnChunk(chunk);
        }
        chunks[chunkIndex] = FullChunk;
        Touch(chunkIndex);
        return added;
    }

    private static ulong[] CreateFullChunk()
    {
        var chunk = new ulong[ChunkWords];
        Array.Fill(chunk, ulong.MaxValue);
        return chunk;
    }

    private static long SetInChunk(ulong[] chunk, long from, long to)
    {
        long added = 0;
        var first = (int)(from >> 6);
        var last = (int)((to - 1) >> 6);
        for (var i = first; i <= last; i++)
        {
            var mask = ulong.MaxValue;
            if (i == first) mask &= ulong.MaxValue << (int)(from & 63);
            if (i == last) mask &= ulong.MaxValue >> (63 - (int)((to - 1) & 63));
            added += BitOperations.PopCount(mask & ~chunk[i]);
            chunk[i] |= mask;
        }
        return added;
    }

    public bool Contains(long page)
    {
        CheckPage(page);
        if (full) return true;
        var chunk = chunks[page / ChunkPages];
        return chunk is not null && (chunk[(page % ChunkPages) >> 6] & (1UL << (int)(page & 63))) != 0;
    }

    /// <summary>How many set pages come before <paramref name="page"/>.</summary>
    public long Rank(long page)
    {
        CheckPage(page);
        if (full) return page;
        rankPrefix ??= BuildRankPrefix();
        var chunkIndex = page / ChunkPages;
        var rank = rankPrefix[chunkIndex];
        var chunk = chunks[chunkIndex];
        if (chunk is null) return rank;
        var within = page % ChunkPages;
        var wordIndex = (int)(within >> 6);
        for (var i = 0; i < wordIndex; i++) rank += BitOperations.PopCount(chunk[i]);
        return rank + BitOperations.PopCount(chunk[wordIndex] & ((1UL << (int)(within & 63)) - 1));
    }

    /// <summary>A digest of which pages are set (for the run's result hash); the same whatever order pages were set in.</summary>
    public ulong Checksum()
    {
        var sum = 0UL;
        foreach (var c in touched)
        {
            var chunk = chunks[c]!;
            sum += ReferenceEquals(chunk, FullChunk) ? FullChunkSum(c) : ChunkSum(chunk, c);
        }
        return SplitMix.Mix(sum ^ (ulong)PageCount ^ (full ? 1UL << 63 : 0));
    }

    private static ulong ChunkSum(ulong[] chunk, int chunkIndex)
    {
        var sum = 0UL;
        for (var i = 0; i < ChunkWords; i++)
        {
            if (chunk[i] != 0) sum += SplitMix.Mix(chunk[i] ^ ((ulong)(chunkIndex * ChunkWords + i) << 40));
        }
        return sum;
    }

    /// <summary>What a full chunk at <paramref name="chunkIndex"/> adds to the checksum, computed once per index for every bitmap.</summary>
    private static ulong FullChunkSum(int chunkIndex)
    {
        var sums = Volatile.Read(ref fullChunkSums);
        return chunkIndex < sums.Length ? sums[chunkIndex] : GrowFullChunkSums(chunkIndex)[chunkIndex];
    }

    private static ulong[] GrowFullChunkSums(int chunkIndex)
    {
        lock (FullChunkSumsGrowing)
        {
            var sums = fullChunkSums;
            if (chunkIndex < sums.Length) return sums;
            var larger = new ulong[Math.Max(chunkIndex + 1, sums.Length * 2)];
            sums.CopyTo(larger, 0);
            for (var c = sums.Length; c < larger.Length; c++) larger[c] = ChunkSum(FullChunk, c);
            // Published whole: a reader sees either the old table or the complete new one.
            Volatile.Write(ref fullChunkSums, larger);
            return larger;
        }
    }

    /// <summary>Clears every page, keeping the chunks (so a reused bitmap allocates nothing where it was dirtied before).</summary>
    public void Clear()
    {
        CheckWritable();
        foreach (var c in touched)
        {
            // A pooled bitmap hands its chunks back, so a run holds about as many chunks as it has
            // dirty regions in flight, whatever the sizes of the domains that dirtied them.
            if (ReferenceEquals(chunks[c], FullChunk))
            {
                chunks[c] = null;
            }
            else if (pool is not null)
            {
                pool.ReturnChunk(chunks[c]!);
                chunks[c] = null;
            }
            else
            {
                Array.Clear(chunks[c]!);
            }
            isTouched[c] = false;
        }
        touched.Clear();
        Count = 0;
        rankPrefix = null;
    }

    /// <summary>Returns a pooled bitmap to its pool, cleared; the caller must not use it afterwards.</summary>
    public void Dispose()
    {
        if (pool is null || pooled) return;
        Clear();
        pooled = true;
        pool.Return(this);
    }

    /// <summary>Called by the pool when it hands this bitmap out again.</summary>
    internal void Reuse() => pooled = false;

    private long[] BuildRankPrefix()
    {
        var prefix = new long[chunks.Length];
        long running = 0;
        for (var c = 0; c < chunks.Length; c++)
        {
            prefix[c] = running;
            if (!isTouched[c]) continue;
            var chunk = chunks[c]!;
            for (var i = 0; i < ChunkWords; i++) running += BitOperations.PopCount(chunk[i]);
        }
        return prefix;
    }

    private void CheckWritable()
    {
        if (full) throw new InvalidOperationException("the every-page bitmap is read-only");
    }

    private void CheckPage(long page)
    {
        if ((ulong)page >= (ulong)PageCount) throw new ArgumentOutOfRangeException(nameof(page), page, $"pages are [0, {PageCount})");
    }
}
