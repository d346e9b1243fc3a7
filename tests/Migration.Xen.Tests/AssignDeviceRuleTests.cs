using Migration.Xen.Policies;

namespace Migration.Xen.Tests;

/// <summary>assign_device() (-EXDEV, -EBADF) and how each policy counts global log-dirty.</summary>
public sealed class AssignDeviceRuleTests
{
    private static readonly DeviceFacts Writer = new("0000:01:00.0", BusMaster: true, DeclaredReadOnly: false, EmulatorReportsDirty: false);
    private static readonly DomainFacts Plain = new() { Name = "guest", IommuEnabled = true };

    [TestCase(true, false, false, "assign/mem-sharing")]
    [TestCase(false, true, false, "assign/mem-paging")]
    [TestCase(false, false, true, "assign/populate-on-demand")]
    public void Assign_IsRefusedWithExdev_UnderEveryPolicy(bool sharing, bool paging, bool pod, string rule)
    {
        var domain = Plain with { MemSharing = sharing, MemPaging = paging, PopulateOnDemand = pod };
        foreach (var policy in Enum.GetValues<VetoPolicy>())
        {
            var refusal = AssignDeviceRule.Check(policy, domain, Writer);
            Assert.That(refusal?.Rule, Is.EqualTo(rule), Names.Of(policy));
            Assert.That(refusal!.Error, Is.EqualTo("-EXDEV"));
        }
    }

    [Test]
    public void Assign_OfABrokenDevice_IsRefusedWithEbadf()
    {
        var refusal = AssignDeviceRule.Check(VetoPolicy.ToolstackDecides, Plain, Writer with { Broken = true });
        Assert.That(refusal?.Error, Is.EqualTo("-EBADF"));
        Assert.That(refusal!.Waivable, Is.False, "hardware, not policy");
    }

    [Test]
    public void Assign_OnAPlainDomain_IsAllowed_UnderEveryPolicy()
    {
        foreach (var policy in Enum.GetValues<VetoPolicy>()) Assert.That(AssignDeviceRule.Check(policy, Plain, Writer), Is.Null, Names.Of(policy));
    }

    [TestCase(VetoPolicy.IommuEnabled, false, true)]
    [TestCase(VetoPolicy.HasDevices, false, true)]
    [TestCase(VetoPolicy.SharedPt, false, false)]
    [TestCase(VetoPolicy.SharedPt, true, true)]
    [TestCase(VetoPolicy.BusMaster, true, true)]
    [TestCase(VetoPolicy.BusMaster, false, false)]
    [TestCase(VetoPolicy.DeclaredReadOnly, false, true)]
    [TestCase(VetoPolicy.ExternalDirty, false, true)]
    [TestCase(VetoPolicy.ToolstackDecides, true, false)]
    public void Assign_DuringGlobalLogDirty_IsRefused_AsThePolicyCountsIt(VetoPolicy policy, bool shared, bool refused)
    {
        var domain = Plain with { GlobalLogDirty = true, SharedPageTables = shared };
        var refusal = AssignDeviceRule.Check(policy, domain, Writer);
        Assert.That(refusal is not null, Is.EqualTo(refused));
        if (refused) Assert.That(refusal!.Rule, Is.EqualTo($"assign/log-dirty/{Names.Of(policy)}"));
    }

    [Test]
    public void Assign_DuringLogDirty_OfAReadOnlyOrReportedDevice_IsAllowed_WhereThePolicyTrustsIt()
    {
        var domain = Plain with { GlobalLogDirty = true };
        Assert.That(AssignDeviceRule.Check(VetoPolicy.DeclaredReadOnly, domain, Writer with { DeclaredReadOnly = true }), Is.Null);
        Assert.That(AssignDeviceRule.Check(VetoPolicy.ExternalDirty, domain, Writer with { EmulatorReportsDirty = true }), Is.Null);
        Assert.That(AssignDeviceRule.Check(VetoPolicy.HasDevices, domain, Writer with { DeclaredReadOnly = true }), Is.Not.Null);
    }

    [Test]
    public void Assign_OnArm_IsAlwaysPermitted_WhateverTheDomainOrPolicy()
    {
        var arm = Plain with { Vendor = IommuVendor.Arm, GlobalLogDirty = true, SharedPageTables = true, MemSharing = true, MemPaging = true, PopulateOnDemand = true };
        foreach (var policy in Enum.GetValues<VetoPolicy>()) Assert.That(AssignDeviceRule.Check(policy, arm, Writer), Is.Null, Names.Of(policy));
        Assert.That(AssignDeviceRule.Check(VetoPolicy.HasDevices, arm, Writer with { Broken = true })?.Error, Is.EqualTo("-EBADF"),
            "a broken device is refused by common code, on Arm too");
    }

    [Test]
    public void Assign_ChecksTheArchitectureBeforeBrokenness_AsXenDoes()
    {
        var refusal = AssignDeviceRule.Check(VetoPolicy.HasDevices, Plain with { MemSharing = true }, Writer with { Broken = true });
        Assert.That(refusal?.Error, Is.EqualTo("-EXDEV"), "arch_iommu_use_permitted() comes first in assign_device()");
    }

    [Test]
    public void Assign_OfADeviceAlreadyAssigned_IsRefusedWithEbusy()
    {
        var refusal = AssignDeviceRule.Busy("0000:01:00.0", "other");
        Assert.That(refusal.Error, Is.EqualTo("-EBUSY"));
        Assert.That(refusal.By, Is.EqualTo(Refuser.Hypervisor));
        Assert.That(refusal.Waivable, Is.False);
    }

    [Test]
    public void Assign_ToADomainCreatedWithoutTheIommu_IsRefusedWithEopnotsupp_From413_AndAllowedBefore()
    {
        var noIommu = Plain with { IommuEnabled = false };
        var refusal = AssignDeviceRule.Check(VetoPolicy.ToolstackDecides, noIommu, Writer);
        Assert.That(refusal?.Error, Is.EqualTo("-EOPNOTSUPP"));
        Assert.That(refusal!.Waivable, Is.False);
        Assert.That(AssignDeviceRule.Check(VetoPolicy.ToolstackDecides, noIommu with { IommuLifetime = IommuLifetime.Assignment }, Writer), Is.Null,
            "before 4.13 the first assignment builds the IOMMU page tables");
    }
}
