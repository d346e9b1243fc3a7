using Migration.Xen.Policies;

namespace Migration.Xen.Tests;

/// <summary>paging_log_dirty_enable() under each policy: the smallest domain refused and the smallest allowed.</summary>
public sealed class LogDirtyRuleTests
{
    private static readonly DeviceFacts Writer = new("0000:01:00.0", BusMaster: true, DeclaredReadOnly: false, EmulatorReportsDirty: false);

    private static DomainFacts Domain(bool iommu = false, bool shared = false, params DeviceFacts[] devices) =>
        new() { Name = "guest", IommuEnabled = iommu, SharedPageTables = shared, Devices = devices };

    [Test]
    public void IommuEnabled_Refuses_IommuWithoutDevice_AndAllows_NoIommu()
    {
        var refusal = LogDirtyRule.Check(VetoPolicy.IommuEnabled, Domain(iommu: true));
        Assert.That(refusal, Is.Not.Null);
        Assert.That(refusal!.By, Is.EqualTo(Refuser.Hypervisor));
        Assert.That(refusal.Rule, Is.EqualTo("log-dirty/iommu-enabled"));
        Assert.That(refusal.Error, Is.EqualTo("-EINVAL"));
        Assert.That(LogDirtyRule.Check(VetoPolicy.IommuEnabled, Domain()), Is.Null);
    }

    [Test]
    public void HasDevices_Refuses_AnyAssignedDevice_AndAllows_IommuWithoutDevice()
    {
        Assert.That(LogDirtyRule.Check(VetoPolicy.HasDevices, Domain(iommu: true, devices: Writer with { BusMaster = false }))?.Rule,
            Is.EqualTo("log-dirty/has-devices"));
        Assert.That(LogDirtyRule.Check(VetoPolicy.HasDevices, Domain(iommu: true)), Is.Null);
    }

    [Test]
    public void SharedPt_Refuses_DeviceWithSharedTables_AndAllows_DeviceWithSeparateTables()
    {
        Assert.That(LogDirtyRule.Check(VetoPolicy.SharedPt, Domain(shared: true, devices: Writer))?.Rule, Is.EqualTo("log-dirty/shared-pt"));
        Assert.That(LogDirtyRule.Check(VetoPolicy.SharedPt, Domain(shared: false, devices: Writer)), Is.Null);
    }

    [Test]
    public void BusMaster_Refuses_BusMasterDeviceOnSharedTables_AndAllows_BusMasterOff()
    {
        Assert.That(LogDirtyRule.Check(VetoPolicy.BusMaster, Domain(shared: true, devices: Writer))?.Rule, Is.EqualTo("log-dirty/bus-master"));
        Assert.That(LogDirtyRule.Check(VetoPolicy.BusMaster, Domain(shared: true, devices: Writer with { BusMaster = false })), Is.Null);
        Assert.That(LogDirtyRule.Check(VetoPolicy.BusMaster, Domain(shared: false, devices: Writer)), Is.Null, "separate tables: as shared-pt");
    }

    [Test]
    public void DeclaredReadOnly_Refuses_UndeclaredDevice_AndAllows_DeclaredReadOnly()
    {
        Assert.That(LogDirtyRule.Check(VetoPolicy.DeclaredReadOnly, Domain(devices: Writer))?.Rule, Is.EqualTo("log-dirty/declared-read-only"));
        Assert.That(LogDirtyRule.Check(VetoPolicy.DeclaredReadOnly, Domain(devices: Writer with { DeclaredReadOnly = true })), Is.Null);
    }

    [Test]
    public void ExternalDirty_Refuses_WriterWithoutEmulator_AndAllows_WriterWithEmulator()
    {
        Assert.That(LogDirtyRule.Check(VetoPolicy.ExternalDirty, Domain(devices: Writer))?.Rule, Is.EqualTo("log-dirty/external-dirty"));
        Assert.That(LogDirtyRule.Check(VetoPolicy.ExternalDirty, Domain(devices: Writer with { EmulatorReportsDirty = true })), Is.Null);
        Assert.That(LogDirtyRule.Check(VetoPolicy.ExternalDirty, Domain(devices: Writer with { BusMaster = false })), Is.Null, "cannot DMA at all");
    }

    [Test]
    public void ToolstackDecides_NeverRefuses()
    {
        Assert.That(LogDirtyRule.Check(VetoPolicy.ToolstackDecides, Domain(iommu: true, shared: true, devices: Writer)), Is.Null);
    }

    [Test]
    public void RefusalReason_NamesTheDevices()
    {
        var refusal = LogDirtyRule.Check(VetoPolicy.HasDevices, Domain(devices: [Writer, Writer with { Bdf = "0000:02:00.0" }]));
        Assert.That(refusal!.Reason, Does.Contain("0000:01:00.0, 0000:02:00.0"));
    }
}
