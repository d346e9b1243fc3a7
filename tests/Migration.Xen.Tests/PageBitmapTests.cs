using Migration.Xen.Memory;

namespace Migration.Xen.Tests;

public sealed class PageBitmapTests
{
    [Test]
    public void SetRange_CountsOnlyNewPages_AcrossWordsAndChunks()
    {
        var bitmap = new PageBitmap(3 * PageBitmap.ChunkPages + 5);
        Assert.That(bitmap.SetRange(60, 200), Is.EqualTo(140));
        Assert.That(bitmap.SetRange(100, PageBitmap.ChunkPages + 10), Is.EqualTo(PageBitmap.ChunkPages + 10 - 200));
        Assert.That(bitmap.Set(150), Is.False);
        Assert.That(bitmap.Set(3 * PageBitmap.ChunkPages + 4), Is.True);
        Assert.That(bitmap.Count, Is.EqualTo(PageBitmap.ChunkPages + 10 - 60 + 1));
        Assert.That(bitmap.Contains(59), Is.False);
        Assert.That(bitmap.Contains(60), Is.True);
        Assert.That(bitmap.Contains(PageBitmap.ChunkPages + 10), Is.False);
    }

    [Test]
    public void Rank_CountsSetPagesBefore()
    {
        var bitmap = new PageBitmap(100_000);
        foreach (var page in new long[] { 3, 64, 65, 5000, 70_000 }) bitmap.Set(page);
        Assert.That(bitmap.Rank(3), Is.EqualTo(0));
        Assert.That(bitmap.Rank(65), Is.EqualTo(2));
        Assert.That(bitmap.Rank(70_000), Is.EqualTo(4));
        Assert.That(bitmap.Rank(99_999), Is.EqualTo(5));
        Assert.That(PageBitmap.Every(10).Rank(7), Is.EqualTo(7));
    }

    [Test]
    public void Checksum_DiffersWithContent_AndEqualsForEqualSets()
    {
        var a = new PageBitmap(10_000);
        var b = new PageBitmap(10_000);
        a.SetRange(10, 20);
        b.SetRange(10, 20);
        Assert.That(a.Checksum(), Is.EqualTo(b.Checksum()));
        b.Set(9_999);
        Assert.That(a.Checksum(), Is.Not.EqualTo(b.Checksum()));
    }

    [Test]
    public void WholeChunks_CountRankAndHashLikePagesSetOneByOne()
    {
        const int chunk = PageBitmap.ChunkPages;
        var pageCount = 4L * chunk + 100;
        var bulk = new PageBitmap(pageCount);
        var single = new PageBitmap(pageCount);
        // A partial chunk first, then a range that fills it and the next two whole chunks and ends
        // part-way into the fourth; then the last, short chunk to its end.
        Assert.That(bulk.SetRange(chunk + 7, chunk + 9), Is.EqualTo(2));
        Assert.That(bulk.SetRange(10, 3L * chunk + 5), Is.EqualTo(3L * chunk + 5 - 10 - 2));
        Assert.That(bulk.SetRange(4L * chunk, pageCount), Is.EqualTo(100));
        Assert.That(bulk.SetRange(chunk, 2L * chunk), Is.Zero, "a full chunk again adds nothing");
        Assert.That(bulk.Set(chunk + 4000), Is.False);
        for (var page = 10L; page < 3L * chunk + 5; page++) single.Set(page);
        for (var page = 4L * chunk; page < pageCount; page++) single.Set(page);

        Assert.That(bulk.Count, Is.EqualTo(single.Count));
        Assert.That(bulk.Checksum(), Is.EqualTo(single.Checksum()));
        foreach (var page in new[] { 0L, 9, 10, chunk - 1, chunk, 2L * chunk + 17, 3L * chunk + 4, 3L * chunk + 5, 4L * chunk - 1, 4L * chunk, pageCount - 1 })
        {
            Assert.That(bulk.Contains(page), Is.EqualTo(single.Contains(page)), $"page {page}");
            Assert.That(bulk.Rank(page), Is.EqualTo(single.Rank(page)), $"rank of page {page}");
        }
    }

    [Test]
    public void RunsOfFullChunksAcrossWords_HashLikePagesSetOneByOne()
    {
        // Full chunks are hashed a run at a time: runs that cross a 64-chunk word, end at one, or
        // fill one whole must add up like the same pages set one by one.
        const int chunk = PageBitmap.ChunkPages;
        var bulk = new PageBitmap(200L * chunk);
        var single = new PageBitmap(200L * chunk);
        foreach (var (from, to) in new[] { (60, 70), (100, 128), (128, 192), (199, 200) })
        {
            bulk.SetRange((long)from * chunk, (long)to * chunk);
            for (var page = (long)from * chunk; page < (long)to * chunk; page++) single.Set(page);
        }
        Assert.That(bulk.Count, Is.EqualTo(single.Count));
        Assert.That(bulk.Checksum(), Is.EqualTo(single.Checksum()));
    }

    [Test]
    public void ClearingAFullChunk_LeavesOtherBitmapsAndLaterSetsAlone()
    {
        const int chunk = PageBitmap.ChunkPages;
        var pool = new PageBitmapPool();
        var first = pool.Rent(2L * chunk);
        var other = new PageBitmap(2L * chunk);
        first.SetRange(0, chunk);
        other.SetRange(0, 2L * chunk);
        first.Dispose();
        var again = pool.Rent(2L * chunk);
        Assert.That(again, Is.SameAs(first));
        Assert.That(again.Contains(5), Is.False, "disposing cleared the full chunk's bit");
        Assert.That(again.SetRange(3, 6), Is.EqualTo(3));
        Assert.That(again.Count, Is.EqualTo(3));
        Assert.That(other.Count, Is.EqualTo(2L * chunk));
        Assert.That(other.Contains(5) && other.Contains(chunk + 5), Is.True, "another bitmap's full chunks are untouched");
        other.Clear();
        Assert.That(other.SetRange(1, 2), Is.EqualTo(1));
        Assert.That(other.Count, Is.EqualTo(1));
        Assert.That(new PageBitmap(chunk).SetRange(0, chunk), Is.EqualTo(chunk));
    }

    [Test]
    public void PooledBitmap_ComesBackCleared()
    {
        var pool = new PageBitmapPool();
        var first = pool.Rent(50_000);
        first.SetRange(0, 40_000);
        first.Dispose();
        first.Dispose();
        var again = pool.Rent(50_000);
        Assert.That(again, Is.SameAs(first));
        Assert.That(again.Count, Is.Zero);
        Assert.That(again.Contains(123), Is.False);
        Assert.That(pool.Rent(50_000), Is.Not.SameAs(again), "disposed twice, pooled once");
        Assert.That(pool.Rent(60_000).PageCount, Is.EqualTo(60_000));
    }
}
