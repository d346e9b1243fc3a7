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
}
