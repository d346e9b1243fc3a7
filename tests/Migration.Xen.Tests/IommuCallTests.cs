using Migration.Xen.Iommu;

namespace Migration.Xen.Tests;

/// <summary>seeds/000: each caller of the IOMMU, one failed page at a time, guest and hardware domain.</summary>
public sealed class IommuCallTests
{
    private const long MemoryPages = 16;

    private static IommuFailurePlan Failing(params long[] calls) => new(0, calls, seed: 1);

    private static IommuCallResult Run(DomainMappings domain, bool hardwareDomain, IommuCaller caller, IommuOperation operation,
        long firstGfn, int pages, IommuFailurePlan plan, SetEntryRollback setEntry = SetEntryRollback.Xen) =>
        IommuCalls.Execute(domain, hardwareDomain, caller, operation, firstGfn, pages, plan, setEntry);

    [Test]
    public void TheTable_IsTheThreadsOrder()
    {
        for (var i = 0; i < IommuCallers.All.Count; i++)
        {
            Assert.That(IommuCallers.All[i].Caller, Is.EqualTo((IommuCaller)i));
            Assert.That(IommuCallers.All[i].ThreadItem, Is.EqualTo(i + 1));
        }
        Assert.That(IommuCallers.All.Where(rule => !rule.AtRunTime).Select(rule => rule.Caller),
            Is.EqualTo(new[] { IommuCaller.HardwareDomainMapping, IommuCaller.GetPageType }), "boot and PV only");
    }

    [Test]
    public void ACallWithNoFailure_MapsInBothViews()
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain: false, IommuCaller.PhysmapAdd, IommuOperation.Map, 16, 4, IommuFailurePlan.None);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.PageCalls, Is.EqualTo(4));
        Assert.That(Enumerable.Range(16, 4).All(gfn => domain.P2mMaps(gfn) && domain.IommuMaps(gfn)), Is.True);
        Assert.That(domain.Disagreements(), Is.Empty);
    }

    [Test]
    public void MemoryAdd_FailingAtItsThirdPage_UnmapsTheTwoItMapped_AndTheHardwareDomainOnlyGetsTheError()
    {
        var domain = new DomainMappings(MemoryPages);
        var plan = Failing(3);
        var result = Run(domain, hardwareDomain: true, IommuCaller.MemoryAdd, IommuOperation.Map, 16, 4, plan);
        Assert.That(result.Error, Is.EqualTo("-ENOMEM"));
        Assert.That(result.DomainCrashed, Is.False);
        Assert.That(result.FirstFailedGfn, Is.EqualTo(18));
        Assert.That(plan.Calls, Is.EqualTo(5), "maps of 16, 17, 18 (failed), then unmaps of 17 and 16");
        Assert.That(Enumerable.Range(16, 4).Any(gfn => domain.P2mMaps(gfn) || domain.IommuMaps(gfn)), Is.False, "destroy_m2p: nothing of the call stays");
        Assert.That(domain.Disagreements(), Is.Empty);
    }

    [Test]
    public void MemoryAdd_IsTheHardwareDomainsOnly()
    {
        Assert.Throws<ArgumentException>(() => Run(new DomainMappings(MemoryPages), hardwareDomain: false, IommuCaller.MemoryAdd, IommuOperation.Map, 16, 1, IommuFailurePlan.None));
    }

    [Test]
    public void ARollbackThatFailsItself_LeavesTheDeviceAPageTheP2mDoesNotHave()
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain: true, IommuCaller.MemoryAdd, IommuOperation.Map, 16, 4, Failing(3, 4));
        Assert.That(result.PagesFailed, Is.EqualTo(2));
        Assert.That(domain.Disagreements(), Is.EqualTo(new[] { new PageDisagreement(17, P2mMaps: false, IommuMaps: true) }), "the unmap of 17 failed");
    }

    [TestCase(false, true)]
    [TestCase(true, false)]
    public void GrantMap_Failing_UndoesTheGrant_AndCrashesOnlyAGuestBackend(bool hardwareDomain, bool crashed)
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain, IommuCaller.GrantMap, IommuOperation.Map, 100, 1, Failing(1));
        Assert.That(result.Error, Is.EqualTo("GNTST_general_error"));
        Assert.That(result.DomainCrashed, Is.EqualTo(crashed));
        Assert.That(domain.P2mMaps(100) || domain.IommuMaps(100), Is.False, "undo_out");
        Assert.That(domain.Disagreements(), Is.Empty);
    }

    [Test]
    public void GrantUnmap_Failing_LeavesTheFrameReachableByTheDevice_ForTheHardwareDomain()
    {
        var domain = new DomainMappings(MemoryPages);
        Run(domain, hardwareDomain: true, IommuCaller.GrantMap, IommuOperation.Map, 100, 1, IommuFailurePlan.None);
        var result = Run(domain, hardwareDomain: true, IommuCaller.GrantUnmap, IommuOperation.Unmap, 100, 1, Failing(1));
        Assert.That(result.Error, Is.EqualTo("GNTST_general_error"));
        Assert.That(result.DomainCrashed, Is.False);
        var disagreement = domain.Disagreements().Single();
        Assert.That(disagreement, Is.EqualTo(new PageDisagreement(100, P2mMaps: false, IommuMaps: true)));
        Assert.That(disagreement.Consequence, Does.Contain("device can still reach"));
    }

    [Test]
    public void PhysmapAdd_FailingForAGuest_CrashesIt_AndStillRollsBack()
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain: false, IommuCaller.PhysmapAdd, IommuOperation.Map, 16, 3, Failing(2));
        Assert.That(result.DomainCrashed, Is.True);
        Assert.That(result.PageCalls, Is.EqualTo(3), "16 mapped, 17 failed, 16 unmapped");
        Assert.That(domain.IommuMaps(16) || domain.P2mMaps(16), Is.False);
        Assert.That(domain.Disagreements(), Is.Empty);
    }

    [Test]
    public void P2mRemovePage_ForTheHardwareDomain_GoesOnPastAFailure_AndReturnsTheError()
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain: true, IommuCaller.P2mRemovePage, IommuOperation.Unmap, 4, 4, Failing(2));
        Assert.That(result.Error, Is.EqualTo("-ENOMEM"));
        Assert.That(result.PageCalls, Is.EqualTo(4));
        Assert.That(domain.Disagreements(), Is.EqualTo(new[] { new PageDisagreement(5, P2mMaps: false, IommuMaps: true) }));
    }

    [Test]
    public void P2mRemovePage_ForAGuest_StopsAtTheFailure_AndCrashesIt()
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain: false, IommuCaller.P2mRemovePage, IommuOperation.Unmap, 4, 4, Failing(2));
        Assert.That(result.DomainCrashed, Is.True);
        Assert.That(result.PageCalls, Is.EqualTo(2));
        Assert.That(domain.Disagreements().Select(d => d.Gfn), Is.EqualTo(new long[] { 5, 6, 7 }), "left mapped in the IOMMU; the domain is dead, so no oracle counts them");
    }

    [Test]
    public void EptSetEntry_MapFailing_AsXenDoes_LeavesTheWholeEntryInTheP2mOnly()
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain: true, IommuCaller.EptSetEntry, IommuOperation.Map, 16, 4, Failing(3), SetEntryRollback.Xen);
        Assert.That(result.Error, Is.EqualTo("-ENOMEM"));
        Assert.That(domain.Disagreements().Select(d => d.Gfn), Is.EqualTo(new long[] { 16, 17, 18, 19 }));
        Assert.That(domain.Disagreements().All(d => d.P2mMaps && !d.IommuMaps), Is.True);
    }

    [Test]
    public void EptSetEntry_MapFailing_AsTheThreadProposed_LeavesOnlyTheUnmappedRestInTheP2mOnly()
    {
        var domain = new DomainMappings(MemoryPages);
        Run(domain, hardwareDomain: true, IommuCaller.EptSetEntry, IommuOperation.Map, 16, 4, Failing(3), SetEntryRollback.Thread);
        Assert.That(domain.Disagreements().Select(d => d.Gfn), Is.EqualTo(new long[] { 18, 19 }));
    }

    [Test]
    public void P2mPtSetEntry_UnmapFailing_ForTheHardwareDomain_UnmapsTheRest()
    {
        var domain = new DomainMappings(MemoryPages);
        var result = Run(domain, hardwareDomain: true, IommuCaller.P2mPtSetEntry, IommuOperation.Unmap, 0, 3, Failing(1));
        Assert.That(result.PageCalls, Is.EqualTo(3));
        Assert.That(result.FirstFailedGfn, Is.EqualTo(0));
        Assert.That(domain.Disagreements().Select(d => d.Gfn), Is.EqualTo(new long[] { 0 }));
    }

    [TestCase(IommuCaller.SetIdentity, IommuOperation.Map, 200)]
    [TestCase(IommuCaller.ClearIdentity, IommuOperation.Unmap, 3)]
    public void AnIdentityMapping_Failing_ChangesNothing(IommuCaller caller, IommuOperation operation, long gfn)
    {
        var domain = new DomainMappings(MemoryPages);
        var before = (domain.P2mMaps(gfn), domain.IommuMaps(gfn));
        var result = Run(domain, hardwareDomain: true, caller, operation, gfn, 1, Failing(1));
        Assert.That(result.Succeeded, Is.False);
        Assert.That((domain.P2mMaps(gfn), domain.IommuMaps(gfn)), Is.EqualTo(before));
    }

    [Test]
    public void ACallerAsksOnlyWhatItDoes()
    {
        Assert.Throws<ArgumentException>(() => Run(new DomainMappings(MemoryPages), true, IommuCaller.GrantMap, IommuOperation.Unmap, 0, 1, IommuFailurePlan.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(new DomainMappings(MemoryPages), true, IommuCaller.EptSetEntry, IommuOperation.Map, 0, 0, IommuFailurePlan.None));
    }

    [Test]
    public void APlansDraws_AreTheSeeds_AndFollowTheProbability()
    {
        var first = new IommuFailurePlan(0.25, [], seed: 7);
        var second = new IommuFailurePlan(0.25, [], seed: 7);
        var draws = Enumerable.Range(0, 10_000).Select(_ => first.NextFails()).ToArray();
        Assert.That(Enumerable.Range(0, 10_000).Select(_ => second.NextFails()), Is.EqualTo(draws));
        Assert.That(first.Failures, Is.InRange(2_300, 2_700));
        var never = new IommuFailurePlan(0, [], seed: 7);
        Assert.That(Enumerable.Range(0, 1_000).Any(_ => never.NextFails()), Is.False);
        var always = new IommuFailurePlan(1, [], seed: 7);
        Assert.That(Enumerable.Range(0, 1_000).All(_ => always.NextFails()), Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new IommuFailurePlan(1.5, [], 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new IommuFailurePlan(0, [0], 7));
    }
}
