using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// For each policy, the smallest scenario it refuses and the smallest it allows, run end to end: the
/// hypervisor's refusal reaches the report with its rule (DESIGN.md section 1, XEN-FACTS.md).
/// </summary>
public sealed class PolicyScenarioTests
{
    private const string Writer = ", dma: read-write, dma-rate: 2000/s";

    private static void AssertRefused(ScenarioText scenario, VetoPolicy policy)
    {
        var report = Run(scenario, policy);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.AnyOf(Outcome.Vetoed, Outcome.NeedlessVeto), Describe(migration, report));
        Assert.That(migration.Refusal!.By, Is.EqualTo(Refuser.Hypervisor), Describe(migration, report));
        Assert.That(migration.Refusal.Rule, Is.EqualTo("log-dirty/" + Names.Of(policy)), Describe(migration, report));
    }

    private static void AssertAllowed(ScenarioText scenario, VetoPolicy policy)
    {
        var report = Run(scenario, policy);
        var migration = Only(report);
        Assert.That(migration.Refusal, Is.Null, Describe(migration, report));
        Assert.That(migration.Outcome, Is.AnyOf(Outcome.Completed, Outcome.Corrupted, Outcome.Faulted), Describe(migration, report));
    }

    [Test]
    public void IommuEnabled_RefusesIommuWithoutDevice_AllowsNoIommu()
    {
        AssertRefused(OneGuest(domainExtra: ", iommu: true"), VetoPolicy.IommuEnabled);
        AssertAllowed(OneGuest(), VetoPolicy.IommuEnabled);
    }

    [Test]
    public void HasDevices_RefusesAnIdleDevice_AllowsIommuWithoutDevice()
    {
        AssertRefused(OneGuest(device: ", dma: none"), VetoPolicy.HasDevices);
        AssertAllowed(OneGuest(domainExtra: ", iommu: true"), VetoPolicy.HasDevices);
    }

    [Test]
    public void SharedPt_RefusesDeviceOnSharedTables_AllowsDeviceOnAmd()
    {
        AssertRefused(OneGuest(device: Writer, sourceExtra: ", iommu: intel, shared-page-tables: true"), VetoPolicy.SharedPt);
        AssertAllowed(OneGuest(device: Writer, sourceExtra: ", iommu: amd"), VetoPolicy.SharedPt);
    }

    [Test]
    public void BusMaster_RefusesBusMasterOnSharedTables_AllowsBusMasterOff()
    {
        AssertRefused(OneGuest(device: Writer, sourceExtra: ", iommu: intel"), VetoPolicy.BusMaster);
        AssertAllowed(OneGuest(device: Writer + ", bus-master: false", sourceExtra: ", iommu: intel"), VetoPolicy.BusMaster);
    }

    [Test]
    public void DeclaredReadOnly_RefusesUndeclaredReader_AllowsDeclaredReader()
    {
        AssertRefused(OneGuest(device: ", dma: read-only, dma-rate: 2000/s"), VetoPolicy.DeclaredReadOnly);
        AssertAllowed(OneGuest(device: ", dma: read-only, dma-rate: 2000/s, declared-read-only: true"), VetoPolicy.DeclaredReadOnly);
    }

    [Test]
    public void ExternalDirty_RefusesWriterWithoutEmulator_AllowsWriterWithEmulator()
    {
        AssertRefused(OneGuest(device: Writer, sourceExtra: ", iommu: amd"), VetoPolicy.ExternalDirty);
        AssertAllowed(OneGuest(device: Writer + ", emulator-reports-dirty: true", sourceExtra: ", iommu: amd"), VetoPolicy.ExternalDirty);
    }

    [Test]
    public void ToolstackDecides_AllowsEvenAWriterOnSharedTables()
    {
        AssertAllowed(OneGuest(device: Writer, sourceExtra: ", iommu: intel", domainExtra: ", iommu: true"), VetoPolicy.ToolstackDecides);
    }

    [Test]
    public void AssignDevice_AtBoot_IsRefusedForAPagingDomain_Before413_WhichThenMigratesWithoutIt()
    {
        // Before 4.13 the device is assigned after the paging ring is set up, and refused (-EXDEV): it
        // stays free, the domain has no device, so has-devices lets it migrate.
        var report = Run(OneGuest(device: Writer, domainExtra: ", mem-paging: true", sourceExtra: ", iommu-lifetime: assignment"), VetoPolicy.HasDevices);
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed), Describe(Only(report), report));
        Assert.That(report.Refusals.Single().Refusal.Rule, Is.EqualTo("assign/mem-paging"), $"seed {report.Seed}");
    }

    [Test]
    public void MemPaging_AtBoot_IsRefusedWithEmlink_From413_ForADomainCreatedWithADevice()
    {
        var report = Run(OneGuest(device: Writer, domainExtra: ", mem-paging: true"), VetoPolicy.HasDevices);
        Assert.That(report.Refusals[0].Refusal.Rule, Is.EqualTo("mem-paging/iommu"), $"seed {report.Seed}");
        Assert.That(report.Refusals[0].Refusal.Error, Is.EqualTo("-EMLINK"));
        Assert.That(Only(report).Refusal?.Rule, Is.EqualTo("log-dirty/has-devices"), "the device was assigned, so log-dirty is refused");
    }

    [Test]
    public void AssignDevice_OnTheDestination_RefusesABrokenSpare_AndTheSourceCopyRunsOn()
    {
        var scenario = Inline("""
            hosts:
              - { name: source, memory: 8GiB, iommu: amd }
              - { name: destination, memory: 8GiB, iommu: amd }
            domains:
              - { name: guest, host: source, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% } }
            devices:
              - { bdf: "0000:01:00.0", host: source, domain: guest, dma: read-only, dma-rate: 1000/s }
              - { bdf: "0000:01:00.0", host: destination, broken: true }
            migrations:
              - { domain: guest, to: destination, at: 1s }
            """);
        var options = new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 1 };
        var system = SimulationRun.CreateSystem(scenario.Scenario, options);
        var world = SimulationRun.Populate(system, scenario.Scenario, options);
        system.RunUntil(SimulationRun.Horizon(scenario.Scenario));
        var migration = SimulationRun.Results(world).Single();
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Vetoed), migration.Reason);
        Assert.That(migration.Refusal!.Rule, Is.EqualTo("assign/broken"));
        Assert.That(migration.Refusal.Error, Is.EqualTo("-EBADF"));
        Assert.That(migration.Passes, Is.GreaterThan(0), "refused at the handover, after pre-copy");
        Assert.That(world.Census.Copies("guest"), Is.EqualTo(1));
        Assert.That(world.Census.HostOf("guest"), Is.EqualTo(0), "the source copy resumed");
        Assert.That(world.Census.RunningCopies("guest"), Is.EqualTo(1));
        Assert.That(system.ErrorCount, Is.Zero);
    }
}
