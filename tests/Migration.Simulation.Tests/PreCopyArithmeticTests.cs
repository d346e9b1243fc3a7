using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>The pre-copy model against arithmetic (XEN-FACTS.md, Pre-copy).</summary>
public sealed class PreCopyArithmeticTests
{
    [Test]
    public void IdleOneGiB_OverOneGbit_TakesAbout8Point6Seconds_WithDowntimeFarUnder100ms()
    {
        var report = Run(BuiltIn("idle-domain"), VetoPolicy.HasDevices);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Completed), Describe(migration, report));
        // 2^30 bytes * 8 / 10^9 bit/s = 8.59 s of pages, plus 0.2% of pfns and a few round trips.
        Assert.That(migration.TotalMs, Is.InRange(8_590, 8_650), Describe(migration, report));
        Assert.That(migration.DowntimeMs, Is.LessThan(10), Describe(migration, report));
        Assert.That(migration.Passes, Is.EqualTo(2), "pass 0 sends every page, then the (empty) final copy");
        Assert.That(migration.PagesSent, Is.EqualTo(262_144));
    }

    [Test]
    public void GuestFasterThanTheLink_NeverConverges_StopsAtFivePasses_WithLongDowntime()
    {
        var report = Run(BuiltIn("guest-faster-than-link"), VetoPolicy.HasDevices);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Completed), Describe(migration, report));
        Assert.That(migration.Passes, Is.EqualTo(XenPreCopy.LivePassesMax + 1), "five live passes, then stop-and-copy");
        // The final copy carries the whole writable working set (512 MiB): over 4 s at 125 MB/s.
        Assert.That(migration.DowntimeMs, Is.GreaterThan(4_000), Describe(migration, report));
    }

    [Test]
    public void GuestFasterThanTheLink_UnderThePre46Rule_IsRateLimited_AndStopsAtThreeTimesMemory()
    {
        var scenario = BuiltIn("guest-faster-than-link");
        var report = Simulator.Run(scenario, new RunOptions { Policy = VetoPolicy.HasDevices, PreCopy = PreCopyPolicyKind.Pre46 });
        var migration = Only(report);
        // Pass 0 at 100 Mbit/s: 1 GiB takes 86 s. Each later pass resends the 512 MiB working set at
        // (dirty rate + 50 Mbit/s); after four of them the live passes have sent 3 x memory.
        Assert.That(migration.TotalMs, Is.GreaterThan(86_000), Describe(migration, report));
        var livePages = migration.PagesSent - 131_072;
        Assert.That(livePages, Is.EqualTo(262_144 + 4 * 131_072), "stops once three times memory was sent");
        Assert.That(migration.Passes, Is.EqualTo(6));
    }

    [Test]
    public void ALightlyDirtyingGuest_Converges_InAFewPasses_WithShortDowntime()
    {
        var report = Run(BuiltIn("iommu-no-device"), VetoPolicy.HasDevices);
        var migration = Only(report);
        Assert.That(migration.Passes, Is.InRange(3, 5), Describe(migration, report));
        Assert.That(migration.DowntimeMs, Is.LessThan(100), Describe(migration, report));
    }
}
