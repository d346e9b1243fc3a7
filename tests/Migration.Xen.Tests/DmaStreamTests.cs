using Migration.Xen.Dma;

namespace Migration.Xen.Tests;

public sealed class DmaStreamTests
{
    [Test]
    public void Emit_IsTheSame_HoweverTheTimeIsCut()
    {
        var stream = new DmaStream(11, DmaPattern.ReadWrite, 2000, 0.5, bufferStartPage: 100, bufferPages: 64);
        var whole = new List<DmaTransaction>();
        stream.Emit(0, TimeSpan.TicksPerSecond, whole);
        var pieces = new List<DmaTransaction>();
        foreach (var (from, to) in new[] { (0L, 1234L), (1234L, 3_000_000L), (3_000_000L, TimeSpan.TicksPerSecond) }) stream.Emit(from, to, pieces);
        Assert.That(pieces, Is.EqualTo(whole));
        Assert.That(whole, Has.Count.EqualTo(2000));
        Assert.That(whole.All(t => t.Page is >= 100 and < 164), Is.True);
        Assert.That(whole.Count(t => t.Write), Is.InRange(900, 1100));
    }

    [Test]
    public void ReadOnlyAndNone_NeverWrite()
    {
        var reads = new List<DmaTransaction>();
        new DmaStream(1, DmaPattern.ReadOnly, 5000, 0.9, 0, 16).Emit(0, TimeSpan.TicksPerSecond, reads);
        Assert.That(reads, Has.Count.EqualTo(5000));
        Assert.That(reads.Any(t => t.Write), Is.False);
        var none = new List<DmaTransaction>();
        new DmaStream(1, DmaPattern.None, 5000, 0.9, 0, 16).Emit(0, TimeSpan.TicksPerSecond, none);
        Assert.That(none, Is.Empty);
    }

    [Test]
    public void Slices_YieldTheTransactionsOfEmit_AndCoverTheIntervalInBoundedPieces()
    {
        var stream = new DmaStream(5, DmaPattern.ReadWrite, 3000, 0.3, bufferStartPage: 7, bufferPages: 32);
        var whole = new List<DmaTransaction>();
        stream.Emit(1000, 2 * TimeSpan.TicksPerSecond, whole);
        var sliced = new List<DmaTransaction>();
        var slices = 0;
        for (var from = 1000L; from < 2 * TimeSpan.TicksPerSecond; slices++)
        {
            var slice = stream.Slice(from, 2 * TimeSpan.TicksPerSecond, transactionsMax: 700, out var next);
            Assert.That(slice.Count, Is.InRange(1, 700));
            var once = new List<DmaTransaction>();
            foreach (var transaction in slice) once.Add(transaction);
            var twice = new List<DmaTransaction>();
            foreach (var transaction in slice) twice.Add(transaction);
            Assert.That(twice, Is.EqualTo(once), "a slice reads the same every time");
            sliced.AddRange(once);
            from = next;
        }
        Assert.That(sliced, Is.EqualTo(whole));
        Assert.That(slices, Is.EqualTo(9), "5,999 transactions in pieces of at most 700");
        Assert.That(DmaSlice.Empty.Count, Is.Zero);
        foreach (var _ in DmaSlice.Empty) Assert.Fail("the empty slice has no transactions");
    }
}
