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
    public void AssignDevice_OnTheDestination_IsRefusedForAPagingDomain_AndTheSourceCopyRunsOn()
    {
        // A device assigned at boot to a mem_paging domain is refused (-EXDEV) and stays free: it
        // migrates without one. The rule is the same on the destination, which the pure tests cover.
        var report = Run(OneGuest(device: Writer, domainExtra: ", mem-paging: true"), VetoPolicy.HasDevices);
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed), Describe(Only(report), report));
    }
}
