using Migration.Xen.Iommu;

namespace Migration.Xen.Tests;

/// <summary>The IOMMU calls of a migrating domain's grants and balloon, in time order, and their count by formula.</summary>
public sealed class IoActivityTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Test]
    public void Calls_ComeInTimeOrder_AGrantBeforeABalloonPageAtTheSameTick()
    {
        var activity = new IoActivity(grantsPerSecond: 2, balloonPagesPerSecond: 1, startTicks: 10 * Second);
        var calls = Enumerable.Range(0, 6).Select(_ => activity.Next()!.Value).ToArray();
        Assert.That(calls.Select(c => (c.Number, c.Ticks, c.Caller)), Is.EqualTo(new[]
        {
            (1L, 10 * Second + Second / 2, IommuCaller.GrantMap), (2L, 10 * Second + Second / 2, IommuCaller.GrantUnmap),
            (3L, 11 * Second, IommuCaller.GrantMap), (4L, 11 * Second, IommuCaller.GrantUnmap),
            (5L, 11 * Second, IommuCaller.EptSetEntry), (6L, 11 * Second, IommuCaller.EptSetEntry),
        }));
        Assert.That(calls.Select(c => c.OnHardwareDomain), Is.EqualTo(new[] { true, true, true, true, false, false }), "a backend's grants are the hardware domain's calls");
        Assert.That(calls.Select(c => c.Op), Is.EqualTo(new long[] { 1, 1, 2, 2, 1, 1 }));
        Assert.That(calls.Select(c => c.Operation), Is.EqualTo(new[]
            { IommuOperation.Map, IommuOperation.Unmap, IommuOperation.Map, IommuOperation.Unmap, IommuOperation.Unmap, IommuOperation.Map }), "a balloon page is freed, then populated again");
        Assert.That(activity.Produced, Is.EqualTo(6));
    }

    [TestCase(3.0, 7.0)]
    [TestCase(200.0, 0.0)]
    [TestCase(0.0, 0.3)]
    public void CallsBy_CountsWhatNextProduces(double grants, double balloon)
    {
        var counted = new IoActivity(grants, balloon, startTicks: 5);
        var produced = new IoActivity(grants, balloon, startTicks: 5);
        var times = new List<long>();
        while (produced.Next() is { } call && call.Ticks <= 40 * Second) times.Add(call.Ticks);
        foreach (var at in new[] { 0L, 5, Second, 7 * Second + 3, 40 * Second })
            Assert.That(counted.CallsBy(at), Is.EqualTo(times.Count(t => t <= at)), $"at {at} ticks");
    }

    [Test]
    public void ADomainWithoutIo_MakesNoCall()
    {
        var activity = new IoActivity(0, 0, 0);
        Assert.That(activity.Next(), Is.Null);
        Assert.That(activity.CallsBy(long.MaxValue / 2), Is.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new IoActivity(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new IoActivity(0, double.NaN, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new IoActivity(0, 1, 0, IommuCaller.GrantMap), "a balloon goes through the P2M");
    }
}
