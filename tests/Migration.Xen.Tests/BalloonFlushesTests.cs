using Migration.Xen.Iommu;

namespace Migration.Xen.Tests;

/// <summary>A balloon's pages and the Device-TLB flushes each costs under an invalidation mode, by formula.</summary>
public sealed class BalloonFlushesTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Test]
    public void OpsFollowThePeriod_WhileTheHoldIsShorter()
    {
        var schedule = new OpSchedule(startTicks: 10 * Second, perSecond: 2, holdTicks: Second / 4);
        Assert.That(Enumerable.Range(1, 3).Select(k => schedule.OpTicks(k)), Is.EqualTo(new[] { 10 * Second + Second / 2, 11 * Second, 11 * Second + Second / 2 }));
        Assert.That(schedule.OpsBy(11 * Second), Is.EqualTo(2));
        Assert.That(schedule.OpsBy(11 * Second - 1), Is.EqualTo(1));
    }

    [Test]
    public void AHoldLongerThanThePeriod_MakesEachOpWaitForTheOneBefore()
    {
        var schedule = new OpSchedule(startTicks: 0, perSecond: 2, holdTicks: 5 * Second);
        Assert.That(Enumerable.Range(1, 3).Select(k => schedule.OpTicks(k)), Is.EqualTo(new[] { Second / 2, Second / 2 + 5 * Second, Second / 2 + 10 * Second }));
        Assert.That(schedule.OpsBy(Second / 2 + 10 * Second), Is.EqualTo(3));
        Assert.That(schedule.OpsBy(Second / 2 + 10 * Second - 1), Is.EqualTo(2));
        Assert.That(schedule.OpsBy(Second / 2 - 1), Is.EqualTo(0));
    }

    [TestCase(0.7, 0L)]
    [TestCase(3.0, 0L)]
    [TestCase(3.0, 2_000_000L)]
    [TestCase(1000.0, 77L)]
    public void OpsBy_IsTheInverseOfOpTicks(double perSecond, long hold)
    {
        var schedule = new OpSchedule(startTicks: 123, perSecond, hold);
        for (long k = 1; k <= 200; k++)
        {
            var at = schedule.OpTicks(k);
            Assert.That((schedule.OpsBy(at), schedule.OpsBy(at - 1)), Is.EqualTo((k, k - 1)).Or.EqualTo((k, k - 2)), $"op {k} at {at}");
        }
    }

    [Test]
    public void Spin_CostsTheLatencyPerFlush_AndHoldsTheBalloonAsLong()
    {
        var flushes = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(5), vcpus: 2, startTicks: 0, pagesPerSecond: 2);
        Assert.That(flushes.Hold, Is.EqualTo(TimeSpan.FromSeconds(5)));
        // Pages at 0.5 s, 5.5 s, 10.5 s.
        Assert.That(flushes.FlushesBy(11 * Second), Is.EqualTo(3));
        // The third is under way at 11 s: half a second of it so far.
        Assert.That((flushes.CpuSpunBy(11 * Second), flushes.VcpusBlockedBy(11 * Second)), Is.EqualTo((TimeSpan.FromSeconds(10.5), TimeSpan.Zero)));
        Assert.That(flushes.CpuSpunBy(15 * Second + Second / 2), Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(flushes.TimesOutAt, Is.Null);
    }

    [Test]
    public void AsyncHold_HoldsEveryVcpuInstead()
    {
        var flushes = new BalloonFlushes(InvalidationMode.AsyncHold, TimeSpan.FromSeconds(5), vcpus: 2, startTicks: 0, pagesPerSecond: 2);
        Assert.That((flushes.CpuSpunBy(11 * Second), flushes.VcpusBlockedBy(11 * Second)), Is.EqualTo((TimeSpan.Zero, TimeSpan.FromSeconds(21))));
    }

    [Test]
    public void AFlushUnderWayWhenTheBalloonStops_IsChargedOnlyUpToTheStop()
    {
        var flushes = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(5), vcpus: 1, startTicks: 0, pagesPerSecond: 2);
        flushes.Stop(Second);
        Assert.That(flushes.CpuSpunBy(100 * Second), Is.EqualTo(TimeSpan.FromSeconds(0.5)), "the first flush began at 0.5 s");
    }

    [Test]
    public void OpsByTheEndOfTime_CountsOnlyOpsThatHappen()
    {
        var schedule = new OpSchedule(startTicks: long.MaxValue - 10 * Second, perSecond: 1, holdTicks: 0);
        Assert.That(schedule.OpsBy(long.MaxValue), Is.EqualTo(9).Or.EqualTo(10));
        Assert.That(new OpSchedule(0, 1e-9).OpsBy(long.MaxValue), Is.GreaterThanOrEqualTo(0), "returns");
    }

    [Test]
    public void Timeout_PastASecond_FailsTheFirstFlush_AndNoneFollows()
    {
        var flushes = new BalloonFlushes(InvalidationMode.Timeout, TimeSpan.FromSeconds(5), vcpus: 1, startTicks: 0, pagesPerSecond: 2);
        Assert.That(flushes.TimesOutAt, Is.EqualTo(Second / 2 + Second));
        Assert.That(flushes.FlushesBy(100 * Second), Is.EqualTo(1));
        Assert.That(flushes.CpuSpunBy(100 * Second), Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void Deferred_FreesAtOnce_AndTheDeviceReachesTheFreedRingPageUntilTheFlushCompletes()
    {
        var flushes = new BalloonFlushes(InvalidationMode.Deferred, TimeSpan.FromSeconds(1), vcpus: 1, startTicks: 0, pagesPerSecond: 2);
        Assert.That(flushes.Hold, Is.EqualTo(TimeSpan.Zero), "nothing waits");
        // Ring of 4 pages: page 0 freed at 0.5 s (and 2.5 s), page 1 at 1 s, ...
        Assert.That(flushes.LeftUnderDevice(0, 4, Second / 2 - 1)?.Ticks, Is.Null, "before the free");
        Assert.That(flushes.LeftUnderDevice(0, 4, Second / 2)?.Ticks, Is.EqualTo(Second / 2));
        Assert.That(flushes.LeftUnderDevice(0, 4, Second + Second / 2 - 1)?.Ticks, Is.EqualTo(Second / 2), "the flush completes at 1.5 s");
        Assert.That(flushes.LeftUnderDevice(0, 4, Second + Second / 2)?.Ticks, Is.Null, "flushed");
        Assert.That(flushes.LeftUnderDevice(1, 4, Second + Second / 4)?.Ticks, Is.EqualTo(Second));
        Assert.That(flushes.LeftUnderDevice(0, 4, 2 * Second + Second / 2)?.Ticks, Is.EqualTo(2 * Second + Second / 2), "its second free");
        Assert.That(flushes.LeftUnderDevice(4, 4, Second)?.Ticks, Is.Null, "not a ring page");
    }

    [Test]
    public void Deferred_AfterTheBalloonStopped_FreesNoMore()
    {
        var flushes = new BalloonFlushes(InvalidationMode.Deferred, TimeSpan.FromSeconds(1), vcpus: 1, startTicks: 0, pagesPerSecond: 2);
        flushes.Stop(Second);
        Assert.That(flushes.LeftUnderDevice(2, 4, Second + Second / 2)?.Ticks, Is.Null, "page 2 would have gone at 1.5 s");
        Assert.That(flushes.LeftUnderDevice(1, 4, Second + Second / 2)?.Ticks, Is.EqualTo(Second), "the last free's window outlives the stop");
    }

    [Test]
    public void StrictModes_LeaveNoStaleWindow()
    {
        foreach (var mode in new[] { InvalidationMode.Spin, InvalidationMode.Timeout, InvalidationMode.AsyncHold })
        {
            var flushes = new BalloonFlushes(mode, TimeSpan.FromMilliseconds(500), vcpus: 1, startTicks: 0, pagesPerSecond: 2);
            Assert.That(flushes.LeftUnderDevice(0, 4, Second / 2)?.Ticks, Is.Null, $"{mode}");
        }
    }

    [Test]
    public void AHeldBalloonsCalls_WaitAsItsPagesDo()
    {
        var held = new IoActivity(0, 2, startTicks: 0, IommuCaller.EptSetEntry, balloonHoldTicks: 5 * Second);
        Assert.That(new[] { held.Next()!.Value.Ticks, held.Next()!.Value.Ticks, held.Next()!.Value.Ticks }, Is.EqualTo(new[] { Second / 2, Second / 2, Second / 2 + 5 * Second }));
        Assert.That(held.CallsBy(Second / 2 + 5 * Second), Is.EqualTo(4));
    }

    [Test]
    public void TheGuestLosesEveryHeldSecond_UnderAsyncHold_AndOneVcpusShareUnderSpin()
    {
        var held = new BalloonFlushes(InvalidationMode.AsyncHold, TimeSpan.FromSeconds(5), vcpus: 4, startTicks: 0, pagesPerSecond: 2);
        var spun = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(5), vcpus: 4, startTicks: 0, pagesPerSecond: 2);
        var deferred = new BalloonFlushes(InvalidationMode.Deferred, TimeSpan.FromSeconds(5), vcpus: 4, startTicks: 0, pagesPerSecond: 2);
        // From the first page at 0.5 s to 11 s: 10.5 s held.
        Assert.That(held.GuestTicksLostBy(11 * Second), Is.EqualTo(10 * Second + Second / 2));
        Assert.That(spun.GuestTicksLostBy(11 * Second), Is.EqualTo((10 * Second + Second / 2) / 4));
        Assert.That(deferred.GuestTicksLostBy(11 * Second), Is.Zero);
    }

    [Test]
    public void Transfers_InterleaveEvenlyWithTheBalloonsPages_AtTheirShare()
    {
        var flushes = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(1), vcpus: 1, startTicks: 0, pagesPerSecond: 4, transfersPerSecond: 1);
        Assert.That(Enumerable.Range(1, 8).Select(k => flushes.IsTransfer(k)), Is.EqualTo(new[] { false, false, false, true, false, false, false, true }));
        var all = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(1), vcpus: 1, startTicks: 0, pagesPerSecond: 3, transfersPerSecond: 3);
        Assert.That(Enumerable.Range(1, 1000).All(k => all.IsTransfer(k)), Is.True, "no balloon: every page is a transfer");
        var none = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(1), vcpus: 1, startTicks: 0, pagesPerSecond: 3);
        Assert.That(Enumerable.Range(1, 1000).Any(k => none.IsTransfer(k)), Is.False);
        var third = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(1), vcpus: 1, startTicks: 0, pagesPerSecond: 3, transfersPerSecond: 1);
        Assert.That(Enumerable.Range(1, 3000).Count(k => third.IsTransfer(k)), Is.EqualTo(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BalloonFlushes(InvalidationMode.Spin, TimeSpan.FromSeconds(1), 1, 0, pagesPerSecond: 1, transfersPerSecond: 2));
    }

    [Test]
    public void Deferred_SaysWhetherThePageADeviceReaches_WasGivenAway()
    {
        // Two pages a second, every other one transferred: ops 1 (balloon), 2 (transfer), at 0.5 s and 1 s, over a ring of 4 pages.
        var flushes = new BalloonFlushes(InvalidationMode.Deferred, TimeSpan.FromSeconds(1), vcpus: 1, startTicks: 0, pagesPerSecond: 2, transfersPerSecond: 1);
        Assert.That(flushes.LeftUnderDevice(0, 4, Second / 2), Is.EqualTo(((long, bool)?)(Second / 2, false)));
        Assert.That(flushes.LeftUnderDevice(1, 4, Second), Is.EqualTo(((long, bool)?)(Second, true)));
        Assert.That(flushes.LeftUnderDevice(1, 4, 2 * Second + Second / 5), Is.Null, "its flush completed a second after, and op 6 frees it again only at 3 s");
    }
}
