using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using Migration.Xen.Toolstacks;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// No refusal is invisible: every one the hypervisor or a toolstack makes, at boot or later, is in the
/// report's refusals list; each migration names its error; a refused re-plug is structured.
/// </summary>
public sealed class RefusalReportTests
{
    private const string Writer = ", dma: read-write, dma-rate: 2000/s";

    [Test]
    public void ADeviceRefusedAtBoot_ForAMemSharingDomain_IsInTheReport_Before413()
    {
        var report = Run(OneGuest(device: Writer, domainExtra: ", mem-sharing: true", sourceExtra: ", iommu-lifetime: assignment"), VetoPolicy.HasDevices);
        var refusal = Refusals(report).Single();
        Assert.That(refusal.GetProperty("timeMs").GetDouble(), Is.EqualTo(0), $"seed {report.Seed}: at boot");
        Assert.That(Text(refusal, "host"), Is.EqualTo("source"));
        Assert.That(Text(refusal, "domain"), Is.EqualTo("guest"));
        Assert.That(Text(refusal, "device"), Is.EqualTo("0000:01:00.0"));
        Assert.That(Text(refusal, "refusedBy"), Is.EqualTo("hypervisor"));
        Assert.That(Text(refusal, "rule"), Is.EqualTo("assign/mem-sharing"));
        Assert.That(Text(refusal, "error"), Is.EqualTo("-EXDEV"));
        Assert.That(Text(refusal, "reason"), Does.Contain("mem_sharing is enabled"));
        Assert.That(refusal.GetProperty("migration").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(Text(JsonOf(report, "guest"), "outcome"), Is.EqualTo("completed"), "without its device the domain migrates: the refusal is why");
    }

    [Test]
    public void From413_MemSharing_IsRefusedAtBoot_ForADomainCreatedWithADevice_AndThatIsInTheReport()
    {
        var report = Run(OneGuest(device: Writer, domainExtra: ", mem-sharing: true"), VetoPolicy.HasDevices);
        var refusals = Refusals(report);
        Assert.That(refusals.Select(r => Text(r, "rule")), Is.EqualTo(new[] { "mem-sharing/iommu", "log-dirty/has-devices" }), $"seed {report.Seed}");
        Assert.That(Text(refusals[0], "error"), Is.EqualTo("-EXDEV"));
        Assert.That(Text(refusals[0], "device"), Is.Null);
        Assert.That(refusals[1].GetProperty("migration").GetInt32(), Is.EqualTo(0), "the veto names its migration");
    }

    [Test]
    public void EachMigration_NamesItsError_AsXenOrTheToolstackNamesIt()
    {
        var hypervisor = Run(OneGuest(device: Writer), VetoPolicy.HasDevices);
        Assert.That(Text(JsonOf(hypervisor, "guest"), "error"), Is.EqualTo("-EINVAL"), $"seed {hypervisor.Seed}");
        var xapi = Run(OneGuest(device: Writer), VetoPolicy.ToolstackDecides, ToolstackKind.Xapi);
        Assert.That(Text(JsonOf(xapi, "guest"), "error"), Is.EqualTo("VM_HAS_PCI_ATTACHED"), $"seed {xapi.Seed}");
        var completed = Run(OneGuest(), VetoPolicy.HasDevices);
        Assert.That(Text(JsonOf(completed, "guest"), "error"), Is.Null, $"seed {completed.Seed}");
    }

    [Test]
    public void ARefusedReplug_IsStructured_AndListed()
    {
        var scenario = Inline("""
            hosts:
              - { name: source, memory: 8GiB, iommu: amd }
              - { name: destination, memory: 8GiB, iommu: amd }
            domains:
              - { name: guest, host: source, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% } }
            devices:
              - { bdf: "0000:01:00.0", host: source, domain: guest, dma: read-write, dma-rate: 2000/s }
              - { bdf: "0000:01:00.0", host: destination, broken: true }
            migrations:
              - { domain: guest, to: destination, at: 1s, unplug-replug: true }
            """);
        var report = Run(scenario, VetoPolicy.HasDevices);
        var migration = JsonOf(report, "guest");
        Assert.That(Text(migration, "outcome"), Is.EqualTo("completed"), $"seed {report.Seed}: the domain moved; only its device did not follow");
        var replug = migration.GetProperty("replug");
        Assert.That(Text(replug, "device"), Is.EqualTo("0000:01:00.0"));
        Assert.That(Text(replug, "refusedBy"), Is.EqualTo("hypervisor"));
        Assert.That(Text(replug, "rule"), Is.EqualTo("assign/broken"));
        Assert.That(Text(replug, "error"), Is.EqualTo("-EBADF"));
        Assert.That(Text(replug, "reason"), Does.Contain("marked broken"));
        var listed = Refusals(report).Single();
        Assert.That(Text(listed, "host"), Is.EqualTo("destination"));
        Assert.That(Text(listed, "rule"), Is.EqualTo("assign/broken"));
        Assert.That(listed.GetProperty("migration").GetInt32(), Is.EqualTo(0));
    }

    [Test]
    public void AReplugThatSucceeds_IsNull()
    {
        var report = Run(BuiltIn("unplug-replug"), VetoPolicy.HasDevices);
        var migration = JsonOf(report, "guest");
        Assert.That(Text(migration, "outcome"), Is.EqualTo("completed"), $"seed {report.Seed}");
        Assert.That(migration.GetProperty("replug").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(Refusals(report), Is.Empty);
    }

    [Test]
    public void ARunWithoutRefusals_HasAnEmptyList()
    {
        var report = Run(OneGuest(), VetoPolicy.HasDevices);
        Assert.That(Refusals(report), Is.Empty, $"seed {report.Seed}");
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed));
    }
}
