using Migration.Xen.PreCopy;

namespace Migration.Xen.Tests;

public sealed class PreCopyPolicyTests
{
    [Test]
    public void Xen_StopsUnder50DirtyPages_OrAfter5Passes()
    {
        var xen = PreCopyPolicy.For(PreCopyPolicyKind.Xen);
        Assert.That(xen.Decide(new PreCopyProgress(1, 49, 1000, 1000)), Is.EqualTo(PreCopyDecision.StopAndCopy));
        Assert.That(xen.Decide(new PreCopyProgress(1, 50, 1000, 1000)), Is.EqualTo(PreCopyDecision.ContinuePreCopy));
        Assert.That(xen.Decide(new PreCopyProgress(4, 10_000, 1000, 1000)), Is.EqualTo(PreCopyDecision.ContinuePreCopy));
        Assert.That(xen.Decide(new PreCopyProgress(5, 10_000, 1000, 1000)), Is.EqualTo(PreCopyDecision.StopAndCopy));
        Assert.That(xen.PassBytesPerSecond(3, 125e6, 1e9), Is.EqualTo(125e6));
    }

    [Test]
    public void Pre46_StopsAfter29Passes_OrThreeTimesMemory_AndIsRateLimited()
    {
        var old = PreCopyPolicy.For(PreCopyPolicyKind.Pre46);
        Assert.That(old.Decide(new PreCopyProgress(28, 10_000, 1000, 1000)), Is.EqualTo(PreCopyDecision.ContinuePreCopy));
        Assert.That(old.Decide(new PreCopyProgress(29, 10_000, 1000, 1000)), Is.EqualTo(PreCopyDecision.StopAndCopy));
        Assert.That(old.Decide(new PreCopyProgress(6, 10_000, 3000, 1000)), Is.EqualTo(PreCopyDecision.StopAndCopy));
        Assert.That(old.PassBytesPerSecond(0, 10e9 / 8, 0), Is.EqualTo(100e6 / 8), "starts at 100 Mbit/s");
        Assert.That(old.PassBytesPerSecond(1, 10e9 / 8, 200e6 / 8), Is.EqualTo(250e6 / 8).Within(1e-6), "dirty rate + 50 Mbit/s");
        Assert.That(old.PassBytesPerSecond(1, 10e9 / 8, 2e9 / 8), Is.EqualTo(500e6 / 8), "capped at 500 Mbit/s");
        Assert.That(old.PassBytesPerSecond(1, 50e6 / 8, 2e9 / 8), Is.EqualTo(50e6 / 8), "never above the link");
    }

    [Test]
    public void Link_CarriesPagesWithTheirPfns_In1024PageBatches()
    {
        Assert.That(Link.Batches(1024), Is.EqualTo(1));
        Assert.That(Link.Batches(1025), Is.EqualTo(2));
        Assert.That(Link.StreamBytes(1024), Is.EqualTo(1024 * (4096 + 8) + 16));
        // 1 GiB at 1 Gbit/s: 8.59 s of page data, plus 0.2% of pfns.
        var seconds = Link.TransferTicks(Link.StreamBytes(262_144), 125e6) / (double)TimeSpan.TicksPerSecond;
        Assert.That(seconds, Is.EqualTo(8.6).Within(0.05));
    }
}
