using Migration.Simulation.Running;

namespace Migration.Simulation.Tests;

public sealed class BetweenRunsTests
{
    private const long MiB = 1 << 20;

    private static byte[]? kept;   // each allocation escapes, so none can be made on the stack

    [Test]
    public void ARunThatWouldPassTheThreshold_IsPrecededByACollection()
    {
        var between = new BetweenRuns(BetweenRuns.ThresholdFloorBytes);
        between.RunStarting();
        Allocate(5 * MiB);
        var before = GC.CollectionCount(0);
        between.RunStarting();
        Assert.That(between.Collections, Is.EqualTo(1), "the last run allocated 5 MiB, past the 4 MiB threshold");
        Assert.That(GC.CollectionCount(0), Is.GreaterThan(before));
    }

    [Test]
    public void SmallRuns_AreNotInterrupted()
    {
        var between = new BetweenRuns(BetweenRuns.DefaultThresholdBytes);
        for (var run = 0; run < 5; run++)
        {
            between.RunStarting();
            Allocate(64 << 10);
        }
        between.RunStarting();
        Assert.That(between.Collections, Is.Zero, "320 KiB in all, below even the floor");
    }

    [Test]
    public void ACollectionDuringARun_BringsTheThresholdDown_ToWhatPrecededThatRun()
    {
        var between = new BetweenRuns(64 * MiB);
        // No collection of the collector's own may come early and change what is measured.
        Assert.That(GC.TryStartNoGCRegion(32 * MiB), Is.True);
        between.RunStarting();
        Allocate(6 * MiB);
        between.RunStarting();
        Allocate(MiB);
        GC.EndNoGCRegion();
        GC.Collect(0);   // as if the collector's budget ran out in this run
        between.RunStarting();
        Assert.That(between.ThresholdBytes, Is.InRange(6 * MiB, 7 * MiB), "6 MiB had been allocated since the last collection when the run started");
        Assert.That(between.Collections, Is.Zero);
    }

    [Test]
    public void TheThreshold_IsNotBelowTheFloor() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BetweenRuns(BetweenRuns.ThresholdFloorBytes - 1));

    private static void Allocate(long bytes)
    {
        for (var done = 0L; done < bytes; done += 4096) kept = new byte[4096];
    }
}
