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
