using Migration.Xen.Memory;

namespace Migration.Xen.Tests;

/// <summary>A host's CPUs shared by its running vCPUs, and the dirtying that follows the share.</summary>
public sealed class SharedCpusTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Test]
    public void UpToOneVcpuPerCpu_EachHasAWholeCpu_BeyondThat_AnEqualShare()
    {
        var cpus = new SharedCpus(2);
        cpus.Add(0, 2);
        Assert.That(cpus.Share, Is.EqualTo(1));
        cpus.Add(10 * Second, 2);
        Assert.That(cpus.Share, Is.EqualTo(0.5));
        Assert.That(cpus.At(20 * Second), Is.EqualTo(15.0 * Second), "10 s whole, then 10 s at half");
        cpus.Add(20 * Second, -3);
        Assert.That(cpus.Share, Is.EqualTo(1), "a paused or departed domain gives its share back");
        Assert.That(cpus.At(30 * Second), Is.EqualTo(25.0 * Second));
    }

    [Test]
    public void MoreVcpusStoppingThanRun_IsABug()
    {
        var cpus = new SharedCpus(1);
        cpus.Add(0, 1);
        Assert.Throws<InvalidOperationException>(() => cpus.Add(0, -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedCpus(0));
    }

    [Test]
    public void ADomainOnASharedCpu_DirtiesInProportionToItsShare_AndNotAtAllPaused()
    {
        var cpus = new SharedCpus(1);
        const long pages = 262_144;
        var writer = new SweepWriter(pages, 1, 4096 * 1000, seed: 7); // 1,000 pages a second at a whole CPU
        var memory = new GuestMemory(pages, writer, 0, clock: cpus);
        cpus.Add(0, 1);
        Assert.That(memory.CpuWritesAt(10 * Second), Is.EqualTo(10_000));
        cpus.Add(10 * Second, 3); // three more vCPUs: a quarter each
        Assert.That(memory.CpuWritesAt(30 * Second), Is.EqualTo(10_000 + 5_000));
        memory.Pause(30 * Second);
        cpus.Add(30 * Second, -1);
        Assert.That(memory.CpuWritesAt(60 * Second), Is.EqualTo(15_000), "paused: no CPU, no writes");
        memory.Resume(60 * Second);
        cpus.Add(60 * Second, 1);
        Assert.That(memory.CpuWritesAt(64 * Second), Is.EqualTo(16_000));
    }

    [Test]
    public void AnImage_CarriesTheCpuTimeHad_AndTheCopyDirtiesOnItsNewHostsShare()
    {
        const long pages = 4096;
        var writer = new SweepWriter(pages, 1, 4096 * 100, seed: 3);
        var source = new GuestMemory(pages, writer, 0);
        source.Pause(5 * Second);
        var destination = new SharedCpus(1);
        destination.Add(0, 2); // two other vCPUs already run there
        var copy = GuestMemory.FromImage(source.Image(), clock: destination);
        Assert.That(copy.Paused, Is.True);
        Assert.That(copy.CpuWritesAt(7 * Second), Is.EqualTo(500));
        copy.Resume(7 * Second);
        destination.Add(7 * Second, 1);
        Assert.That(copy.CpuWritesAt(13 * Second), Is.EqualTo(500 + 200), "a third of a CPU for 6 s");
    }
}
