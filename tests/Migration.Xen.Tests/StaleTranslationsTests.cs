using Migration.Xen.Iommu;

namespace Migration.Xen.Tests;

/// <summary>seeds/001: unmap, flush, then free; what a device's cached translation reaches otherwise; translation faults and their storms.</summary>
public sealed class StaleTranslationsTests
{
    private static readonly long Second = TimeSpan.FromSeconds(1).Ticks;

    /// <summary>guest's gfn 7 is frame 100, and its NIC has used it (the translation is cached).</summary>
    private static StaleTranslations GuestWithCachedPage()
    {
        var model = new StaleTranslations();
        model.Assign("nic", "guest");
        model.Map("guest", 7, 100);
        Assert.That(model.Dma("nic", 7, 0).Kind, Is.EqualTo(DmaAccessKind.Translated));
        return model;
    }

    [Test]
    public void BreakBeforeMake_UnmapFlushThenFree_NeverLetsTheDeviceReachAFrameNotItsDomains()
    {
        var model = GuestWithCachedPage();
        model.Unmap("guest", 7, nowTicks: 0, flushedAtTicks: 30 * Second);
        Assert.That(model.Dma("nic", 7, 10 * Second), Is.EqualTo(new DmaAccess(DmaAccessKind.Translated, 100, "guest")), "stale, but the frame is still the guest's");
        model.Free(100);   // after the flush
        model.Map("other", 3, 100);
        Assert.That(model.Dma("nic", 7, 31 * Second).Kind, Is.EqualTo(DmaAccessKind.FaultTerminated));
        Assert.That(model.Violations, Is.Zero);
    }

    [Test]
    public void ADeferredFlush_LetsTheDeviceReachTheFrameGivenToAnotherDomain()
    {
        var model = GuestWithCachedPage();
        model.Unmap("guest", 7, nowTicks: 0, flushedAtTicks: 30 * Second);
        model.Free(100);   // at once: the tasklet flushes later
        model.Map("other", 3, 100);
        Assert.That(model.Dma("nic", 7, 10 * Second), Is.EqualTo(new DmaAccess(DmaAccessKind.Violation, 100, "other")));
        Assert.That(model.Violations, Is.EqualTo(1));
        Assert.That(model.Dma("nic", 7, 30 * Second).Kind, Is.EqualTo(DmaAccessKind.FaultTerminated), "flushed: the stale entry is gone");
    }

    [Test]
    public void ADeferredFlush_LetsTheDeviceReachAFreedFrame()
    {
        var model = GuestWithCachedPage();
        model.Unmap("guest", 7, 0, 5 * Second);
        model.Free(100);
        Assert.That(model.Dma("nic", 7, Second), Is.EqualTo(new DmaAccess(DmaAccessKind.Violation, 100, null)));
    }

    [Test]
    public void APageNeverCached_FaultsAtOnceAfterItsUnmap()
    {
        var model = new StaleTranslations(TranslationFaultMode.Stall);
        model.Assign("nic", "guest");
        model.Map("guest", 7, 100);
        model.Unmap("guest", 7, 0, 30 * Second);
        model.Free(100);
        Assert.That(model.Dma("nic", 7, Second).Kind, Is.EqualTo(DmaAccessKind.FaultStalled), "nothing cached: the table decides");
        Assert.That(model.Violations, Is.Zero);
    }

    [Test]
    public void ADeviceThatKeepsFaulting_IsAStormCounted_ButLoggedInABurstOfTen_ThenOnceInFiveSeconds()
    {
        var model = new StaleTranslations();
        model.Assign("nic", "guest");
        for (var i = 0; i < 1_000; i++) model.Dma("nic", 42, i * (Second / 1_000));
        Assert.That((model.Faults.Faults, model.Faults.Logged, model.Faults.Suppressed), Is.EqualTo((1_000L, 10L, 990L)));
        Assert.That(model.Faults.Record(4 * Second), Is.False, "the bucket has not refilled a message's 5 s yet");
        Assert.That(model.Faults.Record(5 * Second), Is.True, "5 s of tokens since the burst began");
        Assert.That(model.Faults.Record(7 * Second), Is.False, "then one message per 5 s");
        Assert.That(model.Faults.Record(10 * Second), Is.True);
    }

    [Test]
    public void TheModel_RefusesWhatCannotHappen()
    {
        var model = GuestWithCachedPage();
        Assert.Throws<InvalidOperationException>(() => model.Map("other", 1, 100), "frame 100 is the guest's");
        Assert.Throws<InvalidOperationException>(() => model.Unmap("guest", 8, 0, 0), "gfn 8 is not mapped");
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Unmap("guest", 7, 10, 5), "a flush completes after it is issued");
        Assert.Throws<InvalidOperationException>(() => model.Dma("disk", 7, 0), "the disk is nobody's");
        model.Unmap("guest", 7, 0, 0);
        model.Free(100);
        Assert.Throws<InvalidOperationException>(() => model.Free(100));
    }
}
