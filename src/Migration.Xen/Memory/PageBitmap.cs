using System.Numerics;
using System.Runtime.InteropServices;

namespace Migration.Xen.Memory;

/// <summary>
/// One bit per 4 KiB page (a log-dirty bitmap, a pass's send set), in chunks of 4,096 pages (16 MiB
/// of guest memory), so that reading, clearing and hashing cost what was dirtied, not the domain's
/// size. A bitmap can also be "every page" (pass 0) without storing a bit. Ranges are set a word at
/// a time; the count is kept as bits change; ranks (how many set pages precede a page) come from
/// per-chunk prefix counts built on demand.
/// </summary>
/// <remarks>
/// A chunk is in one of three states: empty; full, one bit in a small bitmap of chunks; or partial,
/// 512 bytes of page bits allocated (from the pool) when a page in it is first set, found through a
/// small map (a sweep leaves at most two partial chunks per peek, so no directory of every chunk is
/// kept). A guest's writes sweep whole 16 MiB blocks (<see cref="SweepWriter"/>), so a busy 16 GiB
/// domain's dirty set is mostly full chunks: setting, clearing and hashing them touch a bit each,
/// and a pass over such a domain moves a few hundred bytes, not half a megabyte (the run-container
/// idea of roaring bitmaps, at chunk granularity).
/// </remarks>
public sealed class PageBitmap : IDisposable
{
    public const int ChunkPages = 4096;
    internal const int ChunkWords = ChunkPages / 64;

    // The words a full chunk would have (every bit set): what FullChunkTotals hashes. Never written.
    private static readonly ulong[] FullChunkWords = CreateFullChunkWords();

    // FullChunkTotals, grown on demand and shared by every bitmap.
    private static readonly Lock FullChunkTotalsGrowing = new();
    private static ulong[] fullChunkTotals = [];

    private readonly int chunkCount;
    private readonly bool every;
    private readonly PageBitmapPool? pool;
    private bool pooled;

    // One bit per chunk: set when every page of the chunk is set.
    private readonly ulong[] fullChunks;
    // The partial chunks' page bits by chunk index (allocated at the first partial chunk); a chunk
    // is never both full and partial.
    private Dictionary<int, ulong[]>? partial;
    private long[]? rankPrefix;

    public PageBitmap(long pageCount) : this(pageCount, every: false, pool: null)
    {
    }

    /// <summary>A bitmap that goes back to <paramref name="pool"/> (cleared) when disposed.</summary>
    internal static PageBitmap ForPool(long pageCount, PageBitmapPool pool) => new(pageCount, every: false, pool);

    private PageBitmap(long pageCount, bool every, PageBitmapPool? pool)
    {
        if (pageCount < 1 || pageCount > (long)int.MaxValue * ChunkPages)
            throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "a bitmap covers 1 page or more");
        PageCount = pageCount;
        this.every = every;
        this.pool = pool;
        chunkCount = (int)((pageCount + ChunkPages - 1) / ChunkPages);
        fullChunks = every ? [] : new ulong[(chunkCount + 63) / 64];
        Count = every ? pageCount : 0;
    }

    /// <summary>A read-only bitmap with every page set (what pass 0 sends).</summary>
    public static PageBitmap Every(long pageCount) => new(pageCount, every: true, pool: null);

    public long PageCount { get; }

    /// <summary>Pages set.</summary>
    public long Count { get; private set; }

    /// <summary>Sets one page; true when it was not set.</summary>
    public bool Set(long page)
    {
        CheckPage(page);
        CheckWritable();
        var chunkIndex = (int)(page / ChunkPages);
        if (IsFull(chunkIndex)) return false;
        var chunk = PartialChunk(chunkIndex);
        ref var word = ref chunk[(page % ChunkPages) >> 6];
        var bit = 1UL << (int)(page & 63);
        if ((word & bit) != 0) return false;
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
            var chunkIndex = (int)(page / ChunkPages);
            var chunkStart = (long)chunkIndex * ChunkPages;
            var chunkEnd = Math.Min(toPageExclusive, chunkStart + ChunkPages);
            if (IsFull(chunkIndex))
            {
                // Already all set.
            }
            else if (page == chunkStart && chunkEnd - chunkStart == ChunkPages)
            {
                added += Fill(chunkIndex);
            }
            else
            {
                added += SetInChunk(PartialChunk(chunkIndex), page - chunkStart, chunkEnd - chunkStart);
            }
            page = chunkEnd;
        }
        Count += added;
        rankPrefix = null;
        return added;
    }

    private bool IsFull(int chunkIndex) => (fullChunks[chunkIndex >> 6] & (1UL << chunkIndex)) != 0;

    /// <summary>The page bits of a chunk that is not full, allocated if it has none yet.</summary>
    private ulong[] PartialChunk(int chunkIndex)
    {
        partial ??= new Dictionary<int, ulong[]>();
        ref var chunk = ref CollectionsMarshal.GetValueRefOrAddDefault(partial, chunkIndex, out _);
        return chunk ??= pool?.RentChunk() ?? new ulong[ChunkWords];
    }

    /// <summary>Marks a chunk full, handing back its page bits if it had any; returns the pages newly set.</summary>
    private long Fill(int chunkIndex)
    {
        long added = ChunkPages;
        if (partial is not null && partial.Remove(chunkIndex, out var chunk))
        {
            foreach (var word in chunk) added -= BitOperations.PopCount(word);
            pool?.ReturnChunk(chunk);
        }
        fullChunks[chunkIndex >> 6] |= 1UL << chunkIndex;
        return added;
    }

    private static ulong[] CreateFullChunkWords()
    {
        var words = new ulong[ChunkWords];
        Array.Fill(words, ulong.MaxValue);
        return words;
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
        if (every) return true;
        var chunkIndex = (int)(page / ChunkPages);
        if (IsFull(chunkIndex)) return true;
        return partial is not null && partial.TryGetValue(chunkIndex, out var chunk) &&
            (chunk[(page % ChunkPages) >> 6] & (1UL << (int)(page & 63))) != 0;
    }

    /// <summary>How many set pages come before <paramref name="page"/>.</summary>
    public long Rank(long page)
    {
        CheckPage(page);
        if (every) return page;
        rankPrefix ??= BuildRankPrefix();
        var chunkIndex = (int)(page / ChunkPages);
        var rank = rankPrefix[chunkIndex];
        var within = page % ChunkPages;
        if (IsFull(chunkIndex)) return rank + within;
        if (partial is null || !partial.TryGetValue(chunkIndex, out var chunk)) return rank;
        var wordIndex = (int)(within >> 6);
        for (var i = 0; i < wordIndex; i++) rank += BitOperations.PopCount(chunk[i]);
        return rank + BitOperations.PopCount(chunk[wordIndex] & ((1UL << (int)(within & 63)) - 1));
    }

    /// <summary>A digest of which pages are set (for the run's result hash); the same whatever order pages were set in.</summary>
    public ulong Checksum()
    {
        var sum = 0UL;
        if (fullChunks.Length != 0)
        {
            // Full chunks come in runs (a sweep fills whole regions): each run adds the difference of
            // two running totals of the full-chunk terms, not a term per chunk.
            var totals = FullChunkTotals(chunkCount);
            for (var w = 0; w < fullChunks.Length; w++)
            {
                var bits = fullChunks[w];
                while (bits != 0)
                {
                    var start = BitOperations.TrailingZeroCount(bits);
                    var length = BitOperations.TrailingZeroCount(~(bits >> start));
                    var first = w * 64 + start;
                    sum += totals[first + length] - totals[first];
                    bits = start + length == 64 ? 0 : bits & ~(((1UL << length) - 1) << start);
                }
            }
        }
        if (partial is not null)
        {
            foreach (var (c, chunk) in partial) sum += ChunkSum(chunk, c);
        }
        return SplitMix.Mix(sum ^ (ulong)PageCount ^ (every ? 1UL << 63 : 0));
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

    /// <summary>
    /// Running totals of what full chunks add to the checksum: entry c is the sum (mod 2^64) of the
    /// terms of chunks 0 to c - 1. Computed once for every bitmap, at least <paramref name="chunks"/> + 1 long.
    /// </summary>
    private static ulong[] FullChunkTotals(int chunks)
    {
        var totals = Volatile.Read(ref fullChunkTotals);
        return chunks < totals.Length ? totals : GrowFullChunkTotals(chunks);
    }

    private static ulong[] GrowFullChunkTotals(int chunks)
    {
        lock (FullChunkTotalsGrowing)
        {
            var totals = fullChunkTotals;
            if (chunks < totals.Length) return totals;
            var larger = new ulong[Math.Max(chunks + 1, totals.Length * 2)];
            totals.CopyTo(larger, 0);
            for (var c = Math.Max(totals.Length, 1); c < larger.Length; c++) larger[c] = larger[c - 1] + ChunkSum(FullChunkWords, c - 1);
            // Published whole: a reader sees either the old table or the complete new one.
            Volatile.Write(ref fullChunkTotals, larger);
            return larger;
        }
    }

    /// <summary>Clears every page (a pooled bitmap hands its partial chunks back to the pool).</summary>
    public void Clear()
    {
        CheckWritable();
        Array.Clear(fullChunks);
        if (partial is not null)
        {
            // A pooled bitmap hands its chunks back, so a run holds about as many chunks as it has
            // partly dirty regions in flight, whatever the sizes of the domains that dirtied them.
            if (pool is not null)
            {
                foreach (var chunk in partial.Values) pool.ReturnChunk(chunk);
            }
            partial.Clear();
        }
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
        // Pages set per chunk first, then shifted into running totals of the chunks before.
        var prefix = new long[chunkCount];
        for (var c = 0; c < chunkCount; c++)
        {
            if (IsFull(c)) prefix[c] = ChunkPages;
        }
        if (partial is not null)
        {
            foreach (var (c, chunk) in partial)
            {
                for (var i = 0; i < ChunkWords; i++) prefix[c] += BitOperations.PopCount(chunk[i]);
            }
        }
        long running = 0;
        for (var c = 0; c < chunkCount; c++) (prefix[c], running) = (running, running + prefix[c]);
        return prefix;
    }

    private void CheckWritable()
    {
        if (every) throw new InvalidOperationException("the every-page bitmap is read-only");
    }

    private void CheckPage(long page)
    {
        if ((ulong)page >= (ulong)PageCount) throw new ArgumentOutOfRangeException(nameof(page), page, $"pages are [0, {PageCount})");
    }
}
