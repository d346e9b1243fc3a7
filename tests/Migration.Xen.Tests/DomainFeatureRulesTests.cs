using Migration.Xen.Policies;

namespace Migration.Xen.Tests;

/// <summary>The reverse checks: turning mem_sharing (-EXDEV) or mem_paging (-EMLINK) on while the IOMMU is in use.</summary>
public sealed class DomainFeatureRulesTests
{
    private static readonly DeviceFacts Device = new("0000:01:00.0", BusMaster: true, DeclaredReadOnly: false, EmulatorReportsDirty: false);
    private static readonly DomainFacts Plain = new() { Name = "guest" };

    [Test]
    public void MemSharing_IsRefusedWithExdev_WhileTheIommuIsEnabledOrADeviceAssigned()
    {
        Assert.That(MemSharingRule.Check(Plain with { IommuEnabled = true })?.Error, Is.EqualTo("-EXDEV"));
        Assert.That(MemSharingRule.Check(Plain with { Devices = [Device] })?.Error, Is.EqualTo("-EXDEV"));
        Assert.That(MemSharingRule.Check(Plain), Is.Null, "no IOMMU in use: allowed");
    }

    [Test]
    public void MemSharing_IsRefusedWithEopnotsupp_OnAnAmdHost_BeforeTheIommuIsLookedAt()
    {
        var amd = Plain with { Vendor = IommuVendor.Amd };
        Assert.That((MemSharingRule.Check(amd)?.Error, MemSharingRule.Check(amd)?.Rule), Is.EqualTo(("-EOPNOTSUPP", "mem-sharing/unsupported")));
        Assert.That(MemSharingRule.Check(amd with { IommuEnabled = true })?.Error, Is.EqualTo("-EOPNOTSUPP"), "mem_sharing_control() checks cpu_has_vmx first");
    }

    [Test]
    public void MemPaging_IsRefusedWithEmlink_WhileTheIommuIsInUse_AndWithExdev_UnderPopulateOnDemand()
    {
        Assert.That(MemPagingRule.Check(Plain with { IommuEnabled = true })?.Error, Is.EqualTo("-EMLINK"));
        Assert.That(MemPagingRule.Check(Plain with { Devices = [Device] })?.Error, Is.EqualTo("-EMLINK"));
        Assert.That(MemPagingRule.Check(Plain with { PopulateOnDemand = true })?.Error, Is.EqualTo("-EXDEV"));
        Assert.That(MemPagingRule.Check(Plain), Is.Null);
    }

    [Test]
    public void ADomainCreatedWithoutTheIommu_NoLongerUsesIt_OnceItsLastDeviceIsGone()
    {
        Assert.That((Plain with { Devices = [Device] }).IommuInUse, Is.True);
        Assert.That(Plain.IommuInUse, Is.False, "as before 4.13: torn down at the last de-assignment");
        Assert.That((Plain with { IommuEnabled = true }).IommuInUse, Is.True, "passthrough= keeps it for the domain's life");
    }
}
