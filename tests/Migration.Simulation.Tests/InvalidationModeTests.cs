using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Iommu;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// seeds/004 and seeds/001 during migration: a guest's balloon frees pages its ATS device DMAs into,
/// each free waits for a Device-TLB flush as the run's invalidation mode says.
/// </summary>
public sealed class InvalidationModeTests
{
    private static readonly TimeSpan Flush = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One guest (2 vCPUs) with an ATS device on host a, its balloon at 2 pages a second, migrating to b
    /// at 1 s; the destination has a spare for the replug. The device DMAs 1,000 times a second into a
    /// ring of 4 pages, which the balloon frees in turn.
    /// </summary>
    private static ScenarioText Flushing(string device = "ats: true, flush: 5s", string dma = "dma: read-write, dma-rate: 1000/s", string iommu = "", string events = "") => Inline($$"""
        {{iommu}}
        hosts:
          - { name: a, memory: 16GiB, shared-page-tables: false }
          - { name: b, memory: 16GiB, shared-page-tables: false }
        domains:
          - { name: guest, host: a, memory: 1GiB, vcpus: 2, workload: { dirty-rate: 4MB/s, working-set: 10% }, io: { balloon: 2/s } }
          - { name: other, host: a, memory: 1GiB, iommu: true }
        devices:
          - { bdf: '0000:03:00.0', host: a, domain: guest, {{dma}}, buffer-pages: 4, emulator-reports-dirty: true, {{device}} }
          - { bdf: '0000:03:00.0', host: b }
        migrations:
          - { domain: guest, to: b, at: 1s }
        {{events}}
        """);

    private static RunReport Run(ScenarioText scenario, InvalidationMode? mode, ulong seed = 1, TimeSpan? flush = null) =>
        Simulator.Run(scenario, new RunOptions { Policy = VetoPolicy.ExternalDirty, Seed = seed, Invalidation = mode, Flush = flush });

    [Test]
    public void Spin_SpinsTheCpuForEveryFlushInFull_AndTheBalloonWaitsForEach()
    {
        var report = Run(Flushing(), InvalidationMode.Spin);
        var m = Only(report);
        Assert.That(m.Outcome, Is.EqualTo(Outcome.Completed), Describe(m, report));
        // The balloon's next page waits for the flush: one CPU spins at most as long as the migration ran,
        // and once more as the source copy is destroyed with its device.
        Assert.That(m.CpuSpunTicks, Is.GreaterThan(2 * Flush.Ticks).And.LessThanOrEqualTo(m.TotalTicks + Flush.Ticks), $"seed {report.Seed}");
        Assert.That((m.VcpusBlockedTicks, m.DevicesBroken, m.SecurityViolations, m.DomainCrashed), Is.EqualTo((0L, 0, 0L, false)));
        Assert.That(report.Invalidation, Is.EqualTo("spin"));
        Assert.That(Json(report).GetProperty("cpuSpunMs").GetDouble(), Is.EqualTo(m.CpuSpunMs).Within(0.001));
    }

    [Test]
    public void Timeout_CrashesTheGuest_AndMarksItsDeviceBroken_ASecondAfterTheFirstFree()
    {
        var report = Run(Flushing(), InvalidationMode.Timeout);
        var m = Only(report);
        Assert.That((m.Outcome, m.DomainCrashed, m.DevicesBroken), Is.EqualTo((Outcome.Failed, true, 1)), Describe(m, report));
        Assert.That(m.Reason, Does.Contain("0000:03:00.0").And.Contain("iommu_dev_iotlb_timeout").And.Contain("crashed the domain"));
        // Log-dirty on just after 1 s, the first page at + 0.5 s, then 1 s of spinning.
        Assert.That(m.EndTicks, Is.EqualTo(TimeSpan.FromSeconds(2.5).Ticks).Within(TimeSpan.FromMilliseconds(5).Ticks), $"seed {report.Seed}");
        Assert.That(m.CpuSpunTicks, Is.EqualTo(InvalidationModes.DeviceTlbTimeout.Ticks));
        var json = Json(report);
        Assert.That((json.GetProperty("devicesBroken").GetInt32(), json.GetProperty("domainsCrashed").GetInt32()), Is.EqualTo((1, 1)));
    }

    [Test]
    public void ADeviceATimeoutBroke_IsRefusedWithEbadf_WhenAssignedAgain()
    {
        var report = Run(Flushing(events: """
            events:
              - { kind: hot-plug, at: 10s, host: a, device: "0000:03:00.0", domain: other }
            """), InvalidationMode.Timeout);
        var refusal = Refusals(report).Single(r => Text(r, "domain") == "other");
        Assert.That((Text(refusal, "rule"), Text(refusal, "error")), Is.EqualTo(("assign/broken", "-EBADF")), $"seed {report.Seed}");
    }

    [Test]
    public void Timeout_WithAFlushWithinTheSecond_IsSpin()
    {
        var fast = Flushing(device: "ats: true, flush: 500ms");
        var timeout = Only(Run(fast, InvalidationMode.Timeout));
        var spin = Only(Run(fast, InvalidationMode.Spin));
        Assert.That((timeout.Outcome, timeout.DevicesBroken), Is.EqualTo((Outcome.Completed, 0)));
        Assert.That(timeout.CpuSpunTicks, Is.EqualTo(spin.CpuSpunTicks).And.GreaterThan(0));
    }

    [Test]
    public void AsyncHold_HoldsEveryVcpuForEachFlush_AndNothingSpinsOrBreaks()
    {
        var report = Run(Flushing(), InvalidationMode.AsyncHold);
        var m = Only(report);
        Assert.That((m.Outcome, m.CpuSpunTicks, m.DevicesBroken, m.SecurityViolations), Is.EqualTo((Outcome.Completed, 0L, 0, 0L)), Describe(m, report));
        // Each flush holds both vCPUs, one after another (the balloon waits for each): at most both vCPUs for the whole migration.
        Assert.That(m.VcpusBlockedTicks, Is.GreaterThan(2 * Flush.Ticks).And.LessThanOrEqualTo(2 * m.TotalTicks));
        Assert.That(m.VcpusBlockedTicks % 2, Is.Zero, "both vCPUs, always together");
    }

    [Test]
    public void Deferred_LetsTheDeviceReachPagesAfterTheyWereFreed_AndTheOracleReportsEach()
    {
        var report = Run(Flushing(), InvalidationMode.Deferred);
        var m = Only(report);
        Assert.That((m.CpuSpunTicks, m.VcpusBlockedTicks), Is.EqualTo((0L, 0L)), "nothing waits");
        Assert.That(m.SecurityViolations, Is.GreaterThan(0), Describe(m, report));
        Assert.That(m.FirstViolation, Does.StartWith("0000:03:00.0 ").And.Contain("gfn 0x").And.Contain("of guest").And.Contain("stale Device-TLB entry"));
        Assert.That(Json(report).GetProperty("securityViolations").GetInt64(), Is.EqualTo(m.SecurityViolations));
    }

    [Test]
    public void Deferred_WithADeviceThatDoesNoDma_ReportsNoViolation()
    {
        var m = Only(Run(Flushing(dma: "dma: none"), InvalidationMode.Deferred));
        Assert.That((m.Outcome, m.SecurityViolations), Is.EqualTo((Outcome.Completed, 0L)));
    }

    [Test]
    public void StrictModes_NeverLetTheDeviceReachAFreedPage()
    {
        foreach (var mode in new[] { InvalidationMode.Spin, InvalidationMode.AsyncHold })
        {
            Assert.That(Only(Run(Flushing(), mode)).SecurityViolations, Is.Zero, $"{mode}");
        }
    }

    [Test]
    public void WithoutAts_NothingIsFlushed_AndTheReportIsAsBefore()
    {
        var report = Run(Flushing(device: "ats: false"), null);
        var m = Only(report);
        Assert.That((m.CpuSpunTicks, m.VcpusBlockedTicks, m.DevicesBroken, m.SecurityViolations), Is.EqualTo((0L, 0L, 0, 0L)));
        Assert.That(report.Invalidation, Is.Null, "no mode applied");
        Assert.That(Json(report).TryGetProperty("iotlbMode", out _), Is.False);
    }

    [Test]
    public void TheScenariosMode_Applies_AndTheCommandLinesOverridesIt()
    {
        var deferred = Flushing(iommu: "iommu: { invalidation: deferred }");
        Assert.That(Only(Run(deferred, null)).SecurityViolations, Is.GreaterThan(0), "the scenario's deferred");
        Assert.That(Only(Run(deferred, InvalidationMode.Spin)).SecurityViolations, Is.Zero, "--iotlb-mode spin");
        Assert.That(Run(deferred, InvalidationMode.Spin).Invalidation, Is.EqualTo("spin"));
    }

    [Test]
    public void TheFlushOverride_ReplacesEveryAtsDevicesLatency()
    {
        var slow = Only(Run(Flushing(device: "ats: true, flush: 100ms"), InvalidationMode.Timeout, flush: TimeSpan.FromSeconds(3)));
        Assert.That((slow.Outcome, slow.DevicesBroken), Is.EqualTo((Outcome.Failed, 1)), "--flush 3s is past the timeout");
    }

    [Test]
    public void EachMode_GivesItsOwnHash_AndTheSameOneEveryTime()
    {
        var hashes = Enum.GetValues<InvalidationMode>().Select(mode => Run(Flushing(), mode).ResultHash).ToArray();
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(hashes.Length), string.Join(", ", hashes));
        Assert.That(Run(Flushing(), InvalidationMode.Deferred).ResultHash, Is.EqualTo(hashes[(int)InvalidationMode.Deferred]));
    }

    [Test]
    public void APartitionedRun_GivesTheReportOfOneProcess_UnderEveryMode()
    {
        var scenario = Flushing().Scenario;
        foreach (var mode in Enum.GetValues<InvalidationMode>())
        {
            var options = new RunOptions { Policy = VetoPolicy.ExternalDirty, Seed = 3, Invalidation = mode };
            var whole = Simulator.Execute(scenario, options);
            var split = PartitionedRun.Execute(scenario, options, [[0], [1]], out _);
            Assert.That(ReportJson.Write(split), Is.EqualTo(ReportJson.Write(whole)), $"seed 3, {mode}");
        }
    }

    /// <summary>The guest's device is unplugged first (unplug-replug): its Device-TLB is flushed as it is deassigned.</summary>
    private static ScenarioText Unplugging(string device = "ats: true, flush: 5s") => Inline($$"""
        hosts:
          - { name: a, memory: 16GiB }
          - { name: b, memory: 16GiB }
        domains:
          - { name: guest, host: a, memory: 1GiB, vcpus: 2, workload: { dirty-rate: 4MB/s, working-set: 10% } }
        devices:
          - { bdf: '0000:03:00.0', host: a, domain: guest, {{device}} }
          - { bdf: '0000:03:00.0', host: b }
        migrations:
          - { domain: guest, to: b, at: 1s, unplug-replug: true }
        """);

    [Test]
    public void Unplugging_UnderSpin_WaitsForTheFlush_AndSpinsTheCpuAsLong()
    {
        var none = Only(Run(Unplugging(device: "ats: false"), InvalidationMode.Spin));
        var report = Run(Unplugging(), InvalidationMode.Spin);
        var m = Only(report);
        Assert.That((m.Outcome, m.CpuSpunTicks, m.VcpusBlockedTicks), Is.EqualTo((Outcome.Completed, Flush.Ticks, 0L)), Describe(m, report));
        Assert.That(m.TotalTicks - none.TotalTicks, Is.EqualTo(Flush.Ticks).Within(TimeSpan.FromMilliseconds(1).Ticks), "the deassign returns when the flush ends");
    }

    [Test]
    public void Unplugging_UnderTimeout_BreaksTheDevice_AndCrashesTheGuest()
    {
        var report = Run(Unplugging(), InvalidationMode.Timeout);
        var m = Only(report);
        Assert.That((m.Outcome, m.DomainCrashed, m.DevicesBroken, m.CpuSpunTicks), Is.EqualTo((Outcome.Failed, true, 1, InvalidationModes.DeviceTlbTimeout.Ticks)), Describe(m, report));
        Assert.That(m.Reason, Does.Contain("as it was deassigned").And.Contain("iommu_dev_iotlb_timeout"));
    }

    [Test]
    public void Unplugging_UnderAsyncHold_HoldsTheVcpus_AndDeferredCostsNothing()
    {
        var held = Only(Run(Unplugging(), InvalidationMode.AsyncHold));
        Assert.That((held.Outcome, held.CpuSpunTicks, held.VcpusBlockedTicks), Is.EqualTo((Outcome.Completed, 0L, 2 * Flush.Ticks)));
        var deferred = Only(Run(Unplugging(), InvalidationMode.Deferred));
        Assert.That((deferred.Outcome, deferred.CpuSpunTicks, deferred.VcpusBlockedTicks, deferred.SecurityViolations), Is.EqualTo((Outcome.Completed, 0L, 0L, 0L)),
            "no page is freed by an unplug: the stale window reaches only the domain's own pages");
    }

    [Test]
    public void EachFlushField_IsInTheHash()
    {
        var scenario = Flushing();
        var report = Run(scenario, InvalidationMode.Deferred);
        var digest = Migration.Simulation.World.ScenarioIndex.Of(scenario.Scenario).Digest;
        var m = report.Migrations[0];
        RunReport With(MigrationResult changed) => report with { Migrations = [changed] };
        var variants = new[]
        {
            With(m with { CpuSpunTicks = m.CpuSpunTicks + 1 }), With(m with { VcpusBlockedTicks = m.VcpusBlockedTicks + 1 }),
            With(m with { DevicesBroken = m.DevicesBroken + 1 }), With(m with { SecurityViolations = m.SecurityViolations + 1 }),
            With(m with { FirstViolation = m.FirstViolation + "." }), report with { Invalidation = "spin" },
        };
        var original = ResultHash.Of(report, digest);
        Assert.That(original, Is.EqualTo(report.ResultHash));
        Assert.That(variants.Select(v => ResultHash.Of(v, digest)), Has.None.EqualTo(original).And.Unique);
    }

    private static ScenarioText Short() => Inline("""
            hosts:
              - { name: a, memory: 16GiB, shared-page-tables: false }
              - { name: b, memory: 16GiB, shared-page-tables: false }
            domains:
              - { name: guest, host: a, memory: 64MiB, io: { balloon: 4/s } }
            devices:
              - { bdf: '0000:03:00.0', host: a, domain: guest, emulator-reports-dirty: true, ats: true, flush: 5s }
              - { bdf: '0000:03:00.0', host: b }
            migrations:
              - { domain: guest, to: b, at: 1s }
            """);

    [Test]
    public void APauseWaitsForTheFlushItsVcpuSpinsOn_InTheDowntime()
    {
        // 64 MiB moves in about half a second: the first page's 5 s flush (from 1.25 s) is under way when the pause comes.
        var spin = Only(Run(Short(), InvalidationMode.Spin));
        var held = Only(Run(Short(), InvalidationMode.AsyncHold));
        Assert.That((spin.Outcome, held.Outcome), Is.EqualTo((Outcome.Completed, Outcome.Completed)));
        Assert.That(spin.CpuSpunTicks, Is.EqualTo(2 * Flush.Ticks), "the flush spins to its end; the source copy's teardown flushes once more");
        Assert.That(held.DowntimeTicks, Is.LessThan(TimeSpan.FromMilliseconds(50).Ticks), "held vCPUs are out of guest mode already: the pause does not wait");
        // The pause asked at the end of pre-copy completes when the spin ends, 5 s after it began at 1.25 s.
        Assert.That(spin.DowntimeTicks - held.DowntimeTicks, Is.EqualTo(TimeSpan.FromSeconds(6.25).Ticks - (held.EndTicks - held.DowntimeTicks))
            .Within(TimeSpan.FromMilliseconds(50).Ticks), $"spin downtime {spin.DowntimeMs} ms, held {held.DowntimeMs} ms");
    }

    [Test]
    public void AFlushUnderWayAtThePause_TimesOutAllTheSame_AndCrashesTheGuest()
    {
        var m = Only(Run(Short(), InvalidationMode.Timeout));
        Assert.That((m.Outcome, m.DevicesBroken, m.DomainCrashed, m.CpuSpunTicks), Is.EqualTo((Outcome.Failed, 1, true, InvalidationModes.DeviceTlbTimeout.Ticks)));
        Assert.That(m.EndTicks, Is.EqualTo(TimeSpan.FromSeconds(2.25).Ticks).Within(TimeSpan.FromMilliseconds(5).Ticks), "1 s after the flush began at 1.25 s");
    }

    [Test]
    public void Deferred_TheStaleWindowIsTheRingDevicesOwn_NotTheSlowestDevices()
    {
        ScenarioText WithSecondDevice(string flush) => Inline($$"""
            hosts:
              - { name: a, memory: 16GiB, shared-page-tables: false }
              - { name: b, memory: 16GiB, shared-page-tables: false }
            domains:
              - { name: guest, host: a, memory: 1GiB, io: { balloon: 2/s } }
            devices:
              - { bdf: '0000:02:00.0', host: a, domain: guest, dma: read-write, dma-rate: 1000/s, buffer-pages: 4, emulator-reports-dirty: true, ats: true, flush: 200ms }
              - { bdf: '0000:05:00.0', host: a, domain: guest, emulator-reports-dirty: true, ats: true, flush: {{flush}} }
              - { bdf: '0000:02:00.0', host: b }
              - { bdf: '0000:05:00.0', host: b }
            migrations:
              - { domain: guest, to: b, at: 1s }
            """);
        var alone = Only(Run(WithSecondDevice("0s"), InvalidationMode.Deferred));
        var beside = Only(Run(WithSecondDevice("5s"), InvalidationMode.Deferred));
        Assert.That(alone.SecurityViolations, Is.GreaterThan(0));
        Assert.That(beside.SecurityViolations, Is.EqualTo(alone.SecurityViolations), "a slow device without DMA changes nothing the NIC reaches");
        Assert.That(beside.FirstViolation, Does.Contain("0000:02:00.0"));
    }

    [Test]
    public void HeldVcpus_DirtyNothing_SoTheGuestSendsFewerPages()
    {
        // A 5 s flush every page, a page every 0.5 s: from the first page on, async-hold keeps both vCPUs
        // out of guest mode; spin keeps one of the two in the hypervisor; deferred keeps none.
        var held = Only(Run(Flushing(), InvalidationMode.AsyncHold));
        var spun = Only(Run(Flushing(), InvalidationMode.Spin));
        var free = Only(Run(Flushing(), InvalidationMode.Deferred));
        Assert.That(held.PagesSent, Is.LessThan(spun.PagesSent), $"held {held.PagesSent}, spun {spun.PagesSent}");
        Assert.That(spun.PagesSent, Is.LessThan(free.PagesSent), $"spun {spun.PagesSent}, free {free.PagesSent}");
    }

    [Test]
    public void APauseWaitingLongerThanTheLease_KeepsTheDestinationsReservation()
    {
        // A 30 s flush under way at the pause: the destination's lease (10 s) is renewed for the wait.
        var m = Only(Run(Short(), InvalidationMode.Spin, flush: TimeSpan.FromSeconds(30)));
        Assert.That(m.Outcome, Is.EqualTo(Outcome.Completed), m.Reason);
        Assert.That(m.DowntimeTicks, Is.GreaterThan(TimeSpan.FromSeconds(25).Ticks), "the rest of the flush");
    }

    /// <summary>The guest keeps its ATS device through the migration (no balloon): the source copy's device is flushed as the copy is destroyed.</summary>
    private static ScenarioText TearingDown() => Inline("""
        hosts:
          - { name: a, memory: 16GiB }
          - { name: b, memory: 16GiB }
        domains:
          - { name: guest, host: a, memory: 256MiB }
          - { name: other, host: a, memory: 256MiB, iommu: true }
        devices:
          - { bdf: '0000:03:00.0', host: a, domain: guest, emulator-reports-dirty: true, ats: true, flush: 5s }
          - { bdf: '0000:03:00.0', host: b }
        migrations:
          - { domain: guest, to: b, at: 1s }
        events:
          - { kind: hot-plug, host: a, at: 60s, device: '0000:03:00.0', domain: other }
        """);

    [Test]
    public void TheSourceCopysDevice_IsFlushedAsItIsDestroyed_SpinningTheSourcesCpu()
    {
        var report = Run(TearingDown(), InvalidationMode.Spin);
        var m = Only(report);
        Assert.That((m.Outcome, m.CpuSpunTicks, m.DevicesBroken), Is.EqualTo((Outcome.Completed, Flush.Ticks, 0)), Describe(m, report));
        Assert.That(Refusals(report), Is.Empty, "the device went back to the host whole: plugged into another domain");
    }

    [Test]
    public void UnderTimeout_TheSourceCopysSlowDevice_IsLeftBroken_TheDomainRunningOnElsewhere()
    {
        var report = Run(TearingDown(), InvalidationMode.Timeout);
        var m = Only(report);
        Assert.That((m.Outcome, m.DevicesBroken, m.DomainCrashed), Is.EqualTo((Outcome.Completed, 1, false)), Describe(m, report));
        Assert.That(m.Reason, Does.Contain("as the source copy was destroyed").And.Contain("broken on a"));
        var refusal = Refusals(report).Single();
        Assert.That((Text(refusal, "domain"), Text(refusal, "error")), Is.EqualTo(("other", "-EBADF")), "a broken device is refused");
    }

    /// <summary>As <see cref="Flushing"/>, the guest's frontend flipping its ring's pages to the backend (gnttab_transfer) instead of ballooning them.</summary>
    private static ScenarioText Transferring() => Inline(Flushing().Yaml.Replace("io: { balloon: 2/s }", "io: { transfers: 2/s }", StringComparison.Ordinal));

    [Test]
    public void AGrantTransfer_UnderDeferred_HandsThePageToTheBackendsDomain_WhileTheDeviceCanStillReachIt()
    {
        var report = Run(Transferring(), InvalidationMode.Deferred);
        var m = Only(report);
        Assert.That(m.SecurityViolations, Is.GreaterThan(0), Describe(m, report));
        Assert.That(m.FirstViolation, Does.Contain("the frontend gave the page to Domain-0@a (gnttab_transfer)").And.Contain("(the frame was Domain-0@a's)"));
    }

    [Test]
    public void AGrantTransfer_UnderAsyncHold_WaitsForTheFlush_WithTheVcpusHeld_AndNothingReachesIt()
    {
        var m = Only(Run(Transferring(), InvalidationMode.AsyncHold));
        Assert.That((m.Outcome, m.SecurityViolations, m.CpuSpunTicks), Is.EqualTo((Outcome.Completed, 0L, 0L)));
        Assert.That(m.VcpusBlockedTicks, Is.GreaterThan(2 * Flush.Ticks), "each transfer waits for its flush: both vCPUs out of guest mode meanwhile");
    }

    [Test]
    public void AGrantTransfer_UnderTimeout_CrashesTheGuest_SayingWhichPageItWasFlushingFor()
    {
        var m = Only(Run(Transferring(), InvalidationMode.Timeout));
        Assert.That((m.DomainCrashed, m.DevicesBroken), Is.EqualTo((true, 1)));
        Assert.That(m.Reason, Does.Contain("for a page the frontend gave its backend (gnttab_transfer) did not complete within 1 s"));
    }

    [Test]
    public void TransfersOfTheSameRate_CostWhatTheBalloonsPagesCost_UnderSpin()
    {
        // A page leaving the guest is flushed the same way, given away or freed.
        var balloon = Only(Run(Flushing(), InvalidationMode.Spin));
        var transfer = Only(Run(Transferring(), InvalidationMode.Spin));
        Assert.That((transfer.CpuSpunTicks, transfer.TotalTicks), Is.EqualTo((balloon.CpuSpunTicks, balloon.TotalTicks)));
    }

    /// <summary>An ATS device (5 s flush) taken from one domain at 1 s and given to another at <paramref name="replugAt"/>.</summary>
    private static ScenarioText Reassigning(string replugAt) => Inline($$"""
        hosts:
          - { name: a, memory: 16GiB }
        domains:
          - { name: first, host: a, memory: 1GiB, iommu: true }
          - { name: second, host: a, memory: 1GiB, iommu: true }
        devices:
          - { bdf: '0000:03:00.0', host: a, domain: first, dma: read-write, dma-rate: 100/s, buffer-pages: 4, ats: true, flush: 5s }
        migrations: []
        events:
          - { kind: hot-unplug, host: a, device: '0000:03:00.0', at: 1s }
          - { kind: hot-plug, host: a, device: '0000:03:00.0', domain: second, at: {{replugAt}} }
        """);

    [Test]
    public void UnderDeferred_ADeviceGivenToAnotherDomainBeforeItsFlush_IsAFinding()
    {
        var report = Run(Reassigning("2s"), InvalidationMode.Deferred);
        var finding = report.Findings.Single();
        Assert.That((finding.Domain, finding.Check, finding.Ticks), Is.EqualTo(("second", OracleFinding.StaleDeviceTlb, TimeSpan.FromSeconds(2).Ticks)));
        Assert.That(finding.Description, Does.Contain("device 0000:03:00.0 was assigned to second while its Device-TLB still held the translations of first:")
            .And.Contain("completes at 6.000000 s"));
        Assert.That(Run(Reassigning("6s"), InvalidationMode.Deferred).Findings, Is.Empty, "after the flush completed");
        Assert.That(Run(Reassigning("2s"), InvalidationMode.Spin).Findings, Is.Empty, "spin: the deassign returned when the flush did");
    }

    [Test]
    public void UnderDeferred_TheDeviceOfASourceCopyDestroyedAfterItsHandover_IsStaleForItsNextDomain()
    {
        var scenario = Inline("""
            network: { bandwidth: 10Gbit/s, latency: 100us }
            hosts:
              - { name: a, memory: 16GiB, iommu: amd }
              - { name: b, memory: 16GiB, iommu: amd }
            domains:
              - { name: x, host: a, memory: 256MiB, workload: { dirty-rate: 1MB/s, working-set: 10% } }
              - { name: y, host: a, memory: 256MiB, iommu: true }
            devices:
              - { bdf: '0000:08:00.0', host: a, domain: x, dma: read-write, dma-rate: 100/s, ats: true, flush: 50s, emulator-reports-dirty: true }
              - { bdf: '0000:08:00.0', host: b }
            migrations:
              - { domain: x, to: b, at: 1s }
            events:
              - { kind: hot-plug, host: a, device: '0000:08:00.0', domain: y, at: 5s }
            """);
        var report = Run(scenario, InvalidationMode.Deferred);
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed), Describe(Only(report), report));
        var finding = report.Findings.Single();
        Assert.That((finding.Domain, finding.Check), Is.EqualTo(("y", OracleFinding.StaleDeviceTlb)), $"seed {report.Seed}");
        Assert.That(finding.Description, Does.Contain("still held the translations of x:"));
    }

    [Test]
    public void UnderDeferred_ANewCopyOfTheSameDomain_DoesNotOwnTheMemoryItsOldCopyHad()
    {
        var report = Run(Inline("""
            network: { bandwidth: 10Gbit/s, latency: 100us }
            hosts:
              - { name: a, memory: 16GiB, iommu: amd }
              - { name: b, memory: 16GiB, iommu: amd }
            domains:
              - { name: x, host: a, memory: 256MiB, workload: { dirty-rate: 1MB/s, working-set: 10% } }
            devices:
              - { bdf: '0000:08:00.0', host: a, domain: x, dma: read-write, dma-rate: 100/s, ats: true, flush: 50s }
              - { bdf: '0000:08:00.0', host: b }
            migrations:
              - { domain: x, to: b, at: 1s, unplug-replug: true }
              - { domain: x, to: a, at: 5s, unplug-replug: true }
            """), InvalidationMode.Deferred);
        Assert.That(report.Migrations.Select(m => m.Outcome), Is.All.EqualTo(Outcome.Completed), $"seed {report.Seed}");
        var finding = report.Findings.Single(f => f.HostName == "a");
        Assert.That(finding.Description, Does.Contain("still held the translations of x's previous copy on a"), $"seed {report.Seed}");
    }
}
