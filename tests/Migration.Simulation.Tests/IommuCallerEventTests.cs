using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>seeds/000's other callers as a host exercises them: memory hot-added to the hardware domain, a device's RMRR identity-mapped as it is plugged.</summary>
public sealed class IommuCallerEventTests
{
    private static ScenarioText WithEvents(string events, string device = "rmrr: 16KiB") => Inline($$"""
        hosts:
          - { name: a, memory: 16GiB }
          - { name: b, memory: 16GiB }
        domains:
          - { name: guest, host: a, memory: 1GiB, iommu: true }
        devices:
          - { bdf: '0000:03:00.0', host: a, {{device}} }
          - { bdf: '0000:03:00.0', host: b }
        migrations:
          - { domain: guest, to: b, at: 5s }
        events:
        {{events}}
        """);

    private static RunReport Run(ScenarioText scenario) => Simulator.Run(scenario, new RunOptions { Policy = VetoPolicy.ToolstackDecides });

    [Test]
    public void AMemoryAddWhosePageFails_UnmapsWhatItMapped_AndLeavesTheHardwareDomainsViewsAgreeing()
    {
        var report = Run(WithEvents("  - { kind: memory-add, host: a, at: 1s, size: 1MiB, fail-page: 3 }"));
        var refusal = Refusals(report).Single();
        Assert.That((Text(refusal, "domain"), Text(refusal, "refusedBy"), Text(refusal, "rule"), Text(refusal, "error")),
            Is.EqualTo(("Domain-0@a", "hypervisor", "memory-add/iommu-map", "-ENOMEM")), $"seed {report.Seed}");
        Assert.That(Text(refusal, "reason"), Does.Contain("memory_add() failed to map page 3 of 256").And.Contain("unmapped the 2 page(s)")
            .And.Contain("the call left 0 page(s) on which the hardware domain's P2M and IOMMU disagree"));
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed), "the hardware domain only got the error");
    }

    [Test]
    public void AMemoryAddThatSucceeds_RefusesNothing()
    {
        var report = Run(WithEvents("  - { kind: memory-add, host: a, at: 1s, size: 1MiB }"));
        Assert.That(Refusals(report), Is.Empty);
    }

    [Test]
    public void AnRmrrPageThatFailsToMap_CrashesTheGuest_AndTheDeviceIsNotAssigned()
    {
        var report = Run(WithEvents("  - { kind: hot-plug, host: a, at: 1s, device: '0000:03:00.0', domain: guest, fail-page: 2 }"));
        var refusal = Refusals(report).Single();
        Assert.That((Text(refusal, "domain"), Text(refusal, "device"), Text(refusal, "rule"), Text(refusal, "error")),
            Is.EqualTo(("guest", "0000:03:00.0", "assign/identity-map", "-ENOMEM")), $"seed {report.Seed}");
        Assert.That(Text(refusal, "reason"), Does.Contain("set_identity_p2m_entry() failed to map page 2").And.Contain("crashed the domain"));
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.Not.EqualTo(Outcome.Completed), "the guest is gone by 5 s");
        Assert.That(migration.Reason, Does.Contain("does not run on"), Describe(migration, report));
    }

    [Test]
    public void AnRmrrThatMaps_AssignsTheDevice()
    {
        var report = Run(WithEvents("  - { kind: hot-plug, host: a, at: 1s, device: '0000:03:00.0', domain: guest }"));
        Assert.That(Refusals(report), Is.Empty);
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed));
    }

    [Test]
    public void AGuestCrashedDuringItsHandover_IsReported_AndNoSourceCopyIsResumed()
    {
        // The 256 MiB guest's final copy is sent by 4 s; the handover takes the 300 ms latency's round trips.
        var report = Run(Inline("""
            network: { bandwidth: 1Gbit/s, latency: 300ms }
            hosts:
              - { name: amd, iommu: amd, memory: 16GiB }
              - { name: dest, memory: 16GiB }
            domains:
              - { name: kiosk, host: amd, memory: 256MiB, iommu: true, workload: { dirty-rate: 4MB/s, working-set: 10% } }
            devices:
              - { bdf: '0000:00:14.0', host: amd, rmrr: 64KiB }
            migrations:
              - { domain: kiosk, to: dest, at: 1s }
            events:
              - { kind: hot-plug, host: amd, at: 4000ms, device: '0000:00:14.0', domain: kiosk, fail-page: 3 }
            """));
        var m = Only(report);
        Assert.That(m.Outcome, Is.EqualTo(Outcome.Completed), "the destination's copy was complete: it runs");
        Assert.That(m.Reason, Does.StartWith("the source copy crashed after its final copy was sent (set_identity_p2m_entry()"), Describe(m, report));
    }

    /// <summary>The hardware domain of an AMD host (separate tables: p2m_pt_set_entry()) or of an Intel host with shared or separate tables maps a 2 MiB BAR whose 100th page fails.</summary>
    private static RunReport MapBar(string host, string rollback = "") => Run(Inline($$"""
        {{rollback}}
        hosts:
          - { name: h, {{host}}, memory: 16GiB }
        migrations: []
        events:
          - { kind: mmio-map, host: h, at: 1s, size: 2MiB, fail-page: 100 }
        """));

    [TestCase("iommu: amd", "p2m_pt_set_entry()")]
    [TestCase("shared-page-tables: false", "ept_set_entry()")]
    public void ABarPageThatFailsToMap_UnderXensRollback_UnmapsWhatTheCallMapped_AndLeavesTheWholeEntryDisagreeing(string host, string function)
    {
        var refusal = Refusals(MapBar(host)).Single();
        Assert.That((Text(refusal, "domain"), Text(refusal, "rule"), Text(refusal, "error")), Is.EqualTo(("Domain-0@h", "mmio-map/iommu-map", "-ENOMEM")));
        Assert.That(Text(refusal, "reason"), Does.StartWith($"{function} wrote the P2M entry for 512 page(s) from gfn 0xc0000, then failed to map page 100")
            .And.Contain("it unmapped the 99 page(s) this call had mapped (Xen's rollback)")
            .And.Contain("the call left 512 page(s) on which the hardware domain's P2M and IOMMU disagree"));
    }

    [Test]
    public void UnderTheThreadsProposal_ThePagesMappedBeforeTheFailureStay_AndFewerDisagree()
    {
        var refusal = Refusals(MapBar("iommu: amd", "iommu: { set-entry-rollback: thread }")).Single();
        Assert.That(Text(refusal, "reason"), Does.Contain("it kept the 99 page(s) it had mapped (the thread's proposal: no rollback)")
            .And.Contain("the call left 413 page(s) on which the hardware domain's P2M and IOMMU disagree"));
    }

    [Test]
    public void EachBar_StartsAlignedToItsSize_AfterTheLast()
    {
        var report = Run(Inline("""
            hosts:
              - { name: h, iommu: amd, memory: 16GiB }
            migrations: []
            events:
              - { kind: mmio-map, host: h, at: 1s, size: 4KiB }
              - { kind: mmio-map, host: h, at: 2s, size: 2MiB, fail-page: 1 }
            """));
        Assert.That(Text(Refusals(report).Single(), "reason"), Does.Contain("512 page(s) from gfn 0xc0200").And.Contain("left 512 page(s)"));
    }
}
