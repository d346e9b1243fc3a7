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
}
