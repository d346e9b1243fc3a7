using Migration.Xen.Iommu;

namespace Migration.Xen.Tests;

/// <summary>seeds/004 and seeds/001: one Device-TLB flush under each invalidation mode.</summary>
public sealed class DeviceTlbFlushTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(2);

    [Test]
    public void Spin_LosesTheWholeFlushInCpuTime_AndFreesThePagesAfterIt()
    {
        var outcome = DeviceTlbFlush.Of(InvalidationMode.Spin, Slow, hardwareDomain: false, vcpus: 2);
        Assert.That(outcome, Is.EqualTo(new FlushOutcome(Slow, Slow, TimeSpan.Zero, DeviceBroken: false, GuestCrashed: false, TimeSpan.Zero)));
    }

    [Test]
    public void Timeout_GivesUpAfterOneSecond_BreaksTheDevice_AndCrashesTheGuest()
    {
        var outcome = DeviceTlbFlush.Of(InvalidationMode.Timeout, Slow, hardwareDomain: false, vcpus: 2);
        Assert.That(outcome.CpuSpin, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(outcome.DeviceBroken, Is.True);
        Assert.That(outcome.GuestCrashed, Is.True);
        Assert.That(outcome.StaleWindow, Is.EqualTo(TimeSpan.Zero), "the device was taken away before the pages went");
    }

    [Test]
    public void Timeout_NeverCrashesTheHardwareDomain_ButStillBreaksItsDevice()
    {
        var outcome = DeviceTlbFlush.Of(InvalidationMode.Timeout, Slow, hardwareDomain: true, vcpus: 4);
        Assert.That((outcome.DeviceBroken, outcome.GuestCrashed), Is.EqualTo((true, false)));
    }

    [Test]
    public void Timeout_OfAFlushWithinASecond_IsASpin()
    {
        Assert.That(DeviceTlbFlush.Of(InvalidationMode.Timeout, Quick, false, 1), Is.EqualTo(DeviceTlbFlush.Of(InvalidationMode.Spin, Quick, false, 1)));
        Assert.That(DeviceTlbFlush.Of(InvalidationMode.Timeout, TimeSpan.FromSeconds(1), false, 1).DeviceBroken, Is.False, "at the timeout itself the flush is in time");
    }

    [Test]
    public void AsyncHold_SpinsNothing_HoldsThePages_AndKeepsEveryVcpuOut()
    {
        var outcome = DeviceTlbFlush.Of(InvalidationMode.AsyncHold, Slow, hardwareDomain: false, vcpus: 4);
        Assert.That(outcome, Is.EqualTo(new FlushOutcome(TimeSpan.Zero, Slow, Slow * 4, DeviceBroken: false, GuestCrashed: false, TimeSpan.Zero)));
    }

    [Test]
    public void Deferred_FreesThePagesAtOnce_AndLeavesTheDeviceAWindowOntoThem()
    {
        var outcome = DeviceTlbFlush.Of(InvalidationMode.Deferred, Slow, hardwareDomain: false, vcpus: 1);
        Assert.That(outcome.PagesFreedAfter, Is.EqualTo(TimeSpan.Zero));
        Assert.That(outcome.StaleWindow, Is.EqualTo(Slow));
        Assert.That(outcome.CpuSpin + outcome.VcpusBlocked, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void AFlush_TakesAtMostTheAtsLimit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceTlbFlush.Of(InvalidationMode.Spin, TimeSpan.FromSeconds(61), false, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceTlbFlush.Of(InvalidationMode.Spin, TimeSpan.FromSeconds(-1), false, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceTlbFlush.Of(InvalidationMode.AsyncHold, Quick, false, 0));
        Assert.That(DeviceTlbFlush.Of(InvalidationMode.Spin, TimeSpan.FromMinutes(1), false, 1).CpuSpin, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void EveryMode_HasANameThatParsesBack_AndSaysWhereItComesFrom()
    {
        Assert.That(InvalidationModes.All.Select(info => info.Mode), Is.EqualTo(Enum.GetValues<InvalidationMode>()));
        foreach (var info in InvalidationModes.All)
        {
            Assert.That(InvalidationModes.Parse(info.Name), Is.EqualTo(info.Mode));
            Assert.That(info.Origin, Is.Not.Empty);
        }
        Assert.That(InvalidationModes.Of(InvalidationMode.Spin).Origin, Does.Contain("XSA-373"));
        Assert.That(InvalidationModes.Of(InvalidationMode.Timeout).Origin, Does.Contain("4.8 to 4.15"));
        Assert.That(InvalidationModes.Parse("Spin"), Is.Null, "names are exact");
    }
}
