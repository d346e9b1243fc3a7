using Migration.Xen.Policies;
using Migration.Xen.Toolstacks;

namespace Migration.Xen.Tests;

public sealed class ToolstackRulesTests
{
    private static readonly DeviceFacts Writer = new("0000:01:00.0", BusMaster: true, DeclaredReadOnly: false, EmulatorReportsDirty: false);
    private static readonly DomainFacts Plain = new() { Name = "guest" };

    [Test]
    public void Xl_ChecksNothing_NotEvenNomigrate()
    {
        Assert.That(ToolstackRules.CheckSource(ToolstackKind.Xl, Plain with { Devices = [Writer], Nomigrate = true }), Is.Null);
    }

    [Test]
    public void Xapi_Refuses_PciAttached_AndNomigrate()
    {
        var pci = ToolstackRules.CheckSource(ToolstackKind.Xapi, Plain with { Devices = [Writer with { BusMaster = false }] });
        Assert.That(pci?.Rule, Is.EqualTo("VM_HAS_PCI_ATTACHED"));
        Assert.That(pci!.By, Is.EqualTo(Refuser.SourceToolstack));
        Assert.That(ToolstackRules.CheckSource(ToolstackKind.Xapi, Plain with { Nomigrate = true })?.Rule, Is.EqualTo("VM_IS_IMMOBILE"));
        Assert.That(ToolstackRules.CheckSource(ToolstackKind.Xapi, Plain with { IommuEnabled = true }), Is.Null);
    }

    [Test]
    public void DeviceAware_Refuses_OnlyDevicesThatCanDirtyUnseen()
    {
        Assert.That(ToolstackRules.CheckSource(ToolstackKind.DeviceAware, Plain with { Devices = [Writer] })?.Rule, Is.EqualTo("DEVICE_MAY_DIRTY_UNSEEN"));
        foreach (var safe in new[] { Writer with { BusMaster = false }, Writer with { DeclaredReadOnly = true }, Writer with { EmulatorReportsDirty = true } })
            Assert.That(ToolstackRules.CheckSource(ToolstackKind.DeviceAware, Plain with { Devices = [safe] }), Is.Null, safe.ToString());
    }

    [Test]
    public void HardwareDomain_NeverMigrates_AndTheRefusalCannotBeWaived()
    {
        var refusal = ToolstackRules.CheckSource(ToolstackKind.Xl, Plain with { IsHardwareDomain = true });
        Assert.That(refusal?.Waivable, Is.False);
    }

    [Test]
    public void Destination_Refuses_NoMemory_IncompatibleTsc_NoDevice_AndAcceptsOtherwise()
    {
        var offer = new DestinationOffer(FreeMemoryBytes: 4L << 30, FreeDevices: 1, TscScaling: false, TscKhz: 2_000_000);
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer, 8L << 30, TscMode.Default, 2_000_000, 0)?.Rule, Is.EqualTo("INSUFFICIENT_MEMORY"));
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer, 1L << 30, TscMode.Invariant, 3_000_000, 0)?.Rule, Is.EqualTo("TSC_INCOMPATIBLE"));
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer, 1L << 30, TscMode.Invariant, 2_000_000, 0), Is.Null, "same frequency");
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer with { TscScaling = true }, 1L << 30, TscMode.Invariant, 3_000_000, 0), Is.Null, "scaling");
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer, 1L << 30, TscMode.Default, 2_000_000, 2)?.Rule, Is.EqualTo("NO_EQUIVALENT_DEVICE"));
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer, 1L << 30, TscMode.Emulated, 3_000_000, 1), Is.Null);
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer, 8L << 30, TscMode.Default, 2_000_000, 0)!.Waivable, Is.False);
    }

    [Test]
    public void Destination_NamesItsErrors_AsItsToolstackDoes()
    {
        var offer = new DestinationOffer(FreeMemoryBytes: 4L << 30, FreeDevices: 0, TscScaling: false, TscKhz: 2_000_000);
        Assert.That(DestinationChecks.Check(ToolstackKind.Xl, offer, 8L << 30, TscMode.Default, 2_000_000, 0)?.Error, Is.EqualTo("ERROR_NOMEM"));
        Assert.That(DestinationChecks.Check(ToolstackKind.Xapi, offer, 8L << 30, TscMode.Default, 2_000_000, 0)?.Error, Is.EqualTo("HOST_NOT_ENOUGH_FREE_MEMORY"));
        Assert.That(DestinationChecks.Check(ToolstackKind.Xapi, offer, 1L << 30, TscMode.Invariant, 3_000_000, 0)?.Error,
            Is.EqualTo("VM_INCOMPATIBLE_WITH_THIS_HOST"));
    }

    [Test]
    public void SourceRefusals_CarryTheToolstacksOwnCode_AsTheirError()
    {
        Assert.That(ToolstackRules.CheckSource(ToolstackKind.Xapi, Plain with { Devices = [Writer] })?.Error, Is.EqualTo("VM_HAS_PCI_ATTACHED"));
        Assert.That(ToolstackRules.CheckSource(ToolstackKind.Xapi, Plain with { Nomigrate = true })?.Error, Is.EqualTo("VM_IS_IMMOBILE"));
        Assert.That(ToolstackRules.CheckSource(ToolstackKind.DeviceAware, Plain with { Devices = [Writer] })?.Error, Is.EqualTo("DEVICE_MAY_DIRTY_UNSEEN"));
    }

    [TestCase(ToolstackKind.Xapi, "source-toolstack", "OTHER_OPERATION_IN_PROGRESS", "OTHER_OPERATION_IN_PROGRESS")]
    [TestCase(ToolstackKind.DeviceAware, "source-toolstack", "OTHER_OPERATION_IN_PROGRESS", "OTHER_OPERATION_IN_PROGRESS")]
    [TestCase(ToolstackKind.Xl, "hypervisor", "log-dirty/already-enabled", "-EINVAL")]
    public void AMigrationOfADomainAlreadyMigrating_IsRefused_AsTheToolstackNamesIt_AndNeverWaived(ToolstackKind kind, string by, string rule, string error)
    {
        var refusal = ToolstackRules.CheckSource(kind, Plain, alreadyMigrating: true);
        Assert.That(refusal, Is.Not.Null);
        Assert.That(RefuserNames.Of(refusal!.By), Is.EqualTo(by));
        Assert.That(refusal.Rule, Is.EqualTo(rule));
        Assert.That(refusal.Error, Is.EqualTo(error));
        Assert.That(refusal.Waivable, Is.False);
    }
}
