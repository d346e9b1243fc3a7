using Migration.Xen.Memory;

namespace Migration.Xen.Tests;

public sealed class SweepWriterTests
{
    [Test]
    public void MarkWrites_DirtiesMinOfWritesAndWorkingSet_InsideTheWorkingSet()
    {
        var writer = new SweepWriter(pageCount: 100_000, workingSetFraction: 0.5, dirtyBytesPerSecond: 4096 * 1000, seed: 7);
        Assert.That(writer.WorkingSetPages % writer.BlockPages, Is.Zero);
        foreach (var (from, to) in new (long, long)[] { (0, 10), (5_000, 30_000), (10, 10 + writer.WorkingSetPages + 5) })
        {
            var bitmap = new PageBitmap(writer.PageCount);
            Assert.That(writer.MarkWrites(from, to, bitmap), Is.EqualTo(Math.Min(to - from, writer.WorkingSetPages)));
            Assert.That(bitmap.Count, Is.EqualTo(writer.DistinctPages(from, to)));
            for (var page = 0L; page < writer.PageCount; page += 97)
            {
                if (bitmap.Contains(page))
                    Assert.That(page, Is.InRange(writer.WorkingSetStart, writer.WorkingSetStart + writer.WorkingSetPages - 1));
            }
        }
    }

    [Test]
    public void VersionOf_CountsExactlyTheWritesMarked_PageByPage()
    {
        var writer = new SweepWriter(pageCount: 3 * SweepWriter.BlockPagesMax + 77, workingSetFraction: 1, dirtyBytesPerSecond: 4096, seed: 3);
        var counts = new long[writer.PageCount];
        const long writes = 3 * 3 * SweepWriter.BlockPagesMax + 500;
        for (var i = 0L; i < writes; i++)
        {
            var single = new PageBitmap(writer.PageCount);
            writer.MarkWrites(i, i + 1, single);
            for (var page = writer.WorkingSetStart; page < writer.WorkingSetStart + writer.WorkingSetPages; page++)
            {
                if (single.Contains(page))
                {
                    counts[page]++;
                    break;
                }
            }
        }
        for (var page = 0L; page < writer.PageCount; page++)
            Assert.That(writer.VersionOf(page, writes), Is.EqualTo(counts[page]), $"page {page}");
    }

    [Test]
    public void DifferentSeeds_VisitBlocksInDifferentOrders()
    {
        var a = new SweepWriter(64 * SweepWriter.BlockPagesMax, 1, 4096, seed: 1);
        var b = new SweepWriter(64 * SweepWriter.BlockPagesMax, 1, 4096, seed: 2);
        var first = new PageBitmap(a.PageCount);
        var second = new PageBitmap(b.PageCount);
        a.MarkWrites(0, 3 * SweepWriter.BlockPagesMax, first);
        b.MarkWrites(0, 3 * SweepWriter.BlockPagesMax, second);
        Assert.That(first.Checksum(), Is.Not.EqualTo(second.Checksum()));
    }
}
