using Migration.Xen.Memory;
using Migration.Xen.Oracle;

namespace Migration.Xen.Tests;

public sealed class MigrationOracleTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Test]
    public void DmaWrite_AfterItsPageWasSent_IsStale_Before_IsNot()
    {
        using var oracle = new MigrationOracle();
        // Pass 0 sends pages 0..999 over [0 s, 1 s): page p at (p + 1) / 1000 s.
        oracle.PassStarted(PageBitmap.Every(1000), 0, Second);
        oracle.RecordDmaWrite(100, Second / 2);   // page 100 was sent at 0.101 s: stale
        oracle.RecordDmaWrite(900, Second / 2);   // page 900 goes at 0.901 s: sent after the write
        oracle.PassStarted(new PageBitmap(1000), Second, 0);
        Assert.That(oracle.SwitchOver(new PageBitmap(1000)), Is.EqualTo(1));
        Assert.That(oracle.StalePages(), Is.EqualTo(new long[] { 100 }));
    }

    [Test]
    public void StalePage_IsHealed_ByALaterPassOrTheFinalCopy()
    {
        using var oracle = new MigrationOracle();
        oracle.PassStarted(PageBitmap.Every(1000), 0, Second);
        oracle.RecordDmaWrite(1, Second / 2);
        oracle.RecordDmaWrite(2, Second / 2);
        var pass1 = new PageBitmap(1000);
        pass1.Set(1);   // dirtied again by a vCPU, resent in pass 1
        oracle.PassStarted(pass1, Second, Second / 10);
        var final = new PageBitmap(1000);
        final.Set(2);   // reported by an emulator, sent while paused
        Assert.That(oracle.SwitchOver(final), Is.Zero);
    }

    /// <summary>
    /// The claim the oracle rests on: with log-dirty on, every page the vCPUs write is sent after the
    /// write. Checked page by page on a small domain against the content versions.
    /// </summary>
    [Test]
    public void CpuWrites_AreAllResent_ContentVersionsMatchAtSwitchOver()
    {
        var writer = new SweepWriter(2 * SweepWriter.BlockPagesMax + 300, 0.9, 4096 * 3000, seed: 5);
        var memory = new GuestMemory(writer.PageCount, writer, 0);
        var received = new long[writer.PageCount];
        memory.EnableLogDirty(0);
        long now = 0;
        var pages = PageBitmap.Every(writer.PageCount);
        for (var pass = 0; pass < 5; pass++)
        {
            // Pages are sent at the start of the pass in this check (the versions are read then) ...
            for (var page = 0L; page < writer.PageCount; page++)
                if (pages.Contains(page)) received[page] = memory.VersionOf(page, now);
            now += Second / (pass + 1);
            pages = memory.PeekAndClean(now);   // ... and everything written since is in the bitmap.
        }
        memory.Pause(now);
        for (var page = 0L; page < writer.PageCount; page++)
            if (pages.Contains(page)) received[page] = memory.VersionOf(page, now);
        for (var page = 0L; page < writer.PageCount; page++)
            Assert.That(received[page], Is.EqualTo(memory.VersionOf(page, now + Second)), $"page {page}");
    }
}
