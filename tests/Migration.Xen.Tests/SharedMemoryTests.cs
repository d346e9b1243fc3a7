using Migration.Xen.Sharing;

namespace Migration.Xen.Tests;

/// <summary>mem_sharing with altp2m views (seeds/003): Xen's rules, the v4 patch's, and the oracle that tells them apart.</summary>
public sealed class SharedMemoryTests
{
    private const long A = 0xa, O = 0x0f, X = 0x1a;

    /// <summary>Domains d1 and d2 of 32 pages each; d1 with one view.</summary>
    private static (SharedMemory Memory, int View) TwoDomains(Altp2mSharingMode mode = Altp2mSharingMode.Xen)
    {
        var memory = new SharedMemory(mode);
        memory.AddDomain("d1", 32);
        memory.AddDomain("d2", 32);
        return (memory, memory.CreateView("d1")!.Value);
    }

    private static void ShareD1AWithD2X(SharedMemory memory)
    {
        Assert.That(memory.Nominate("d1", A).Succeeded && memory.Nominate("d2", X).Succeeded, Is.True);
        Assert.That(memory.Share("d1", A, "d2", X).Succeeded, Is.True);
    }

    [Test]
    public void Sharing_MapsBothGfnsToTheSourcesFrame()
    {
        var (memory, _) = TwoDomains();
        var frame = memory.Lookup("d1", 0, A)!.Value.Frame;
        ShareD1AWithD2X(memory);
        Assert.That(memory.Lookup("d2", 0, X)!.Value.Frame, Is.EqualTo(frame));
        Assert.That((memory.IsShared("d1", A), memory.IsShared("d2", X)), Is.EqualTo((true, true)));
    }

    [Test]
    public void SharingUnnominatedGfns_FailsWithEinval()
    {
        var (memory, _) = TwoDomains();
        Assert.That(memory.Share("d1", A, "d2", X).Error, Is.EqualTo("-EINVAL"));
    }

    [Test]
    public void Nomination_FailsWithEinval_WhileAViewSetsAnotherAccessOnTheGfn()
    {
        var (memory, view) = TwoDomains();
        memory.SetAccess("d1", view, A, PageAccess.Read);
        var result = memory.Nominate("d1", A);
        Assert.That((result.Error, result.Reason), Is.EqualTo(("-EINVAL", "view 1 of d1 maps gfn 0xa with another access")));
    }

    [Test]
    public void Nomination_FailsWithE2big_WhileAViewPointsAnotherGfnAtTheFrame()
    {
        // seeds/003: altp2m first (gfn O of the view points at mA), then sharing: "the refcount on mA will be one more than expected".
        var (memory, view) = TwoDomains();
        Assert.That(memory.ChangeGfn("d1", view, O, A).Succeeded, Is.True);
        Assert.That(memory.Nominate("d1", A).Error, Is.EqualTo("-E2BIG"));
    }

    [Test]
    public void AView_ReadsASharedEntryLazily_AndFollowsItsUnsharing()
    {
        var (memory, view) = TwoDomains();
        ShareD1AWithD2X(memory);
        var shared = memory.Lookup("d1", 0, A)!.Value.Frame;
        Assert.That(memory.Lookup("d1", view, A)!.Value.Frame, Is.EqualTo(shared), "copied lazily from the host P2M");
        memory.Unshare("d1", A);
        var own = memory.Lookup("d1", 0, A)!.Value.Frame;
        Assert.That(own, Is.Not.EqualTo(shared));
        Assert.That(memory.Lookup("d1", view, A)!.Value.Frame, Is.EqualTo(own), "unsharing propagates to the view");
        Assert.That(memory.Lookup("d2", 0, X)!.Value.Frame, Is.EqualTo(shared), "d2 keeps the shared frame");
    }

    [Test]
    public void UnderXen_SettingAccessThroughAView_UnsharesThePageFirst()
    {
        var (memory, view) = TwoDomains();
        ShareD1AWithD2X(memory);
        var result = memory.SetAccess("d1", view, A, PageAccess.ReadExecute);
        Assert.That((result.Succeeded, result.Unshared, memory.IsShared("d1", A)), Is.EqualTo((true, true, false)));
        Assert.That(memory.Lookup("d1", view, A), Is.EqualTo((memory.Lookup("d1", 0, A)!.Value.Frame, PageAccess.ReadExecute)));
        Assert.That(memory.StaleViews(), Is.Empty);
    }

    [Test]
    public void UnderXen_RemappingOntoASharedPage_Fails_AndRemappingASharedPage_UnsharesItFirst()
    {
        var (memory, view) = TwoDomains();
        ShareD1AWithD2X(memory);
        var shared = memory.Lookup("d1", 0, A)!.Value.Frame;
        var onto = memory.ChangeGfn("d1", view, O, A);
        Assert.That((onto.Error, onto.Reason), Is.EqualTo(("-EINVAL", "gfn 0xa of d1 is a shared page: remapping onto a shared entry fails")));
        Assert.That(memory.Lookup("d1", view, O), Is.EqualTo(memory.Lookup("d1", 0, O)), "the view is unchanged");

        // p2m_change_altp2m_gfn() reads the old gfn from the host P2M with P2M_UNSHARE.
        var from = memory.ChangeGfn("d1", view, A, O);
        Assert.That((from.Succeeded, from.Unshared), Is.EqualTo((true, true)));
        Assert.That(memory.IsShared("d1", A), Is.False);
        Assert.That(memory.Lookup("d1", 0, A)!.Value.Frame, Is.Not.EqualTo(shared), "a private copy: d2 still maps the shared frame");
        Assert.That(memory.Lookup("d1", view, A)!.Value.Frame, Is.EqualTo(memory.Lookup("d1", 0, O)!.Value.Frame));
        Assert.That(memory.StaleViews(), Is.Empty);
    }

    [Test]
    public void UnderXen_TheOldGfnIsUnsharedBeforeTheNewOneIsLookedAt()
    {
        // p2m_change_altp2m_gfn() reads the old gfn with P2M_UNSHARE first: a call refused on its target has unshared all the same,
        // and a shared gfn remapped onto itself is private by the time its target is checked.
        var (memory, view) = TwoDomains();
        ShareD1AWithD2X(memory);
        Assert.That(memory.Nominate("d1", O).Succeeded, Is.True);
        var refused = memory.ChangeGfn("d1", view, A, O);
        Assert.That((refused.Error, refused.Unshared, memory.IsShared("d1", A)), Is.EqualTo(("-EINVAL", true, false)));
        Assert.That(refused.Reason, Does.EndWith("(gfn 0xa was unshared all the same)"));
        Assert.That(memory.ChangeGfn("d1", view, O, O).Succeeded, Is.True, "O is private once read");
    }

    [Test]
    public void UnsharingTheLastMapping_KeepsTheFrame_AsXensPageMakePrivateDoes()
    {
        var (memory, _) = TwoDomains(Altp2mSharingMode.PatchV4);
        ShareD1AWithD2X(memory);
        var shared = memory.Lookup("d1", 0, A)!.Value.Frame;
        memory.Unshare("d2", X);
        Assert.That(memory.Lookup("d2", 0, X)!.Value.Frame, Is.Not.EqualTo(shared), "d2 got a copy");
        memory.Unshare("d1", A);
        Assert.That((memory.Lookup("d1", 0, A)!.Value.Frame, memory.IsShared("d1", A)), Is.EqualTo((shared, false)), "d1 was the last: it keeps the frame, private");
    }

    [Test]
    public void ANominatedPage_IsSharedTyped_AndTheNominationStaysWhenTheShareDoesNot()
    {
        var (memory, view) = TwoDomains();
        Assert.That(memory.Nominate("d1", A).Succeeded, Is.True);
        Assert.That(memory.IsShared("d1", A), Is.True, "nominate_page() makes it p2m_ram_shared");
        Assert.That(memory.ChangeGfn("d1", view, O, A).Error, Is.EqualTo("-EINVAL"), "so remapping onto it fails");
        Assert.That(memory.Share("d1", A, "d2", X).Error, Is.EqualTo("-EINVAL"), "d2's gfn was not nominated");
        Assert.That(memory.SetAccess("d1", view, A, PageAccess.Read).Unshared, Is.True, "setting access unshares it: private again");
        Assert.That(memory.IsShared("d1", A), Is.False);
    }

    [Test]
    public void UnderThePatch_NominatingAPageAViewMapsWithOtherAccess_Succeeds()
    {
        // 653948018a added the -EINVAL check; the v4 patch had only the reference count's -E2BIG.
        var (memory, view) = TwoDomains(Altp2mSharingMode.PatchV4);
        memory.SetAccess("d1", view, A, PageAccess.Read);
        Assert.That(memory.Nominate("d1", A).Succeeded, Is.True);
    }

    [Test]
    public void UnderThePatch_SharingThenRemapping_LeavesAViewPointingAtAFrameTheDomainNoLongerHas()
    {
        // George Dunlap's case: share d1gA with d2gX, then point view gfn O at mA, then unshare d1gA.
        var (memory, view) = TwoDomains(Altp2mSharingMode.PatchV4);
        ShareD1AWithD2X(memory);
        var shared = memory.Lookup("d1", 0, A)!.Value.Frame;
        Assert.That(memory.ChangeGfn("d1", view, O, A).Succeeded, Is.True, "the patch allows it");
        Assert.That(memory.StaleViews(), Is.Empty, "d1 still has mA");
        memory.Unshare("d1", A);
        var stale = memory.StaleViews();
        Assert.That(stale.Select(s => (s.Domain, s.View, s.Gfn, s.Frame)), Is.EqualTo(new[] { ("d1", view, O, shared) }));
        Assert.That(stale[0].FrameHolders, Is.EqualTo(new[] { "d2's gfn 0x1a" }));
        Assert.That(stale[0].ToString(), Does.Contain("no longer has").And.Contain("d2's gfn 0x1a"));
    }

    [Test]
    public void UnderThePatch_UnsharingOverwritesTheViewsAccess()
    {
        var (memory, view) = TwoDomains(Altp2mSharingMode.PatchV4);
        ShareD1AWithD2X(memory);
        Assert.That(memory.SetAccess("d1", view, A, PageAccess.None).Unshared, Is.False, "set on the shared entry");
        memory.Unshare("d1", A);
        Assert.That(memory.Lookup("d1", view, A)!.Value.Access, Is.EqualTo(PageAccess.ReadWriteExecute), "the host's entry again: the view's setting is lost");
    }

    [Test]
    public void UnderXen_NoSequenceOfOperations_LeavesAViewPointingAtAFrameItsDomainLost([Range(1, 40)] int seed) =>
        Assert.That(FirstStale(Altp2mSharingMode.Xen, seed), Is.Null, $"seed {seed}");

    [Test]
    public void UnderThePatch_TheSameSequences_LeaveStaleViews()
    {
        // The oracle has teeth: the operations that never break Xen's rules break the patch's.
        var found = Enumerable.Range(1, 40).Select(seed => FirstStale(Altp2mSharingMode.PatchV4, seed)).Where(s => s is not null).ToArray();
        Assert.That(found, Is.Not.Empty, "seeds 1 to 40");
    }

    [Test]
    public void UnderThePatch_ADomainLeavingFreesTheFrame_AViewStillPointsAt()
    {
        var (memory, view) = TwoDomains(Altp2mSharingMode.PatchV4);
        ShareD1AWithD2X(memory);
        memory.ChangeGfn("d1", view, O, A);
        memory.Unshare("d1", A);
        memory.RemoveDomain("d2");
        var stale = memory.StaleViews().Single();
        Assert.That((stale.Domain, stale.Gfn, stale.FrameHolders.Count), Is.EqualTo(("d1", O, 0)));
        Assert.That(stale.ToString(), Does.EndWith("(it is free)"));
        Assert.That(memory.HasDomain("d2"), Is.False);
    }

    [Test]
    public void UnderXen_ADomainLeaving_LeavesTheOthersViewsAndSharingSound()
    {
        var (memory, view) = TwoDomains();
        ShareD1AWithD2X(memory);
        memory.SetAccess("d1", view, O, PageAccess.Read);
        memory.RemoveDomain("d2");
        Assert.That(memory.StaleViews(), Is.Empty);
        Assert.That(memory.IsShared("d1", A), Is.True, "the frame stays shared-typed with one holder, as Xen keeps it");
        memory.AddDomain("d2", 32);
        Assert.That((memory.ViewCount("d2"), memory.IsShared("d2", X)), Is.EqualTo((0, false)), "a copy arriving again has no views and shares nothing");
    }

    [Test]
    public void ADomainHasAtMostTenViews()
    {
        var memory = new SharedMemory();
        memory.AddDomain("d1", 1);
        var created = Enumerable.Range(0, 11).Select(_ => memory.CreateView("d1")).ToArray();
        Assert.That(created, Is.EqualTo(Enumerable.Range(1, 10).Select(i => (int?)i).Append(null)));
        Assert.That((memory.HasView("d1", 10), memory.HasView("d1", 11)), Is.EqualTo((true, false)));
    }

    [Test]
    public void AGuestsP2m_CostsNothingUntilItChanges_AndMapsEveryGfn()
    {
        var memory = new SharedMemory();
        memory.AddDomain("big", 1L << 28);   // 1 TiB of 4 KiB pages: held as a base frame, not an entry per page
        memory.AddDomain("next", 4);
        var last = memory.Lookup("big", 0, (1L << 28) - 1)!.Value;
        Assert.That(memory.Lookup("next", 0, 0)!.Value.Frame, Is.EqualTo(last.Frame + 1), "frames are handed out in order");
        Assert.That(memory.Lookup("big", 0, 1L << 28), Is.Null);
        Assert.That(memory.StaleViews(), Is.Empty);
    }

    /// <summary>300 random operations over three domains of 8 pages and two views each; the first stale view entry the oracle finds, or null.</summary>
    private static string? FirstStale(Altp2mSharingMode mode, int seed)
    {
        var random = new Random(seed);
        var memory = new SharedMemory(mode);
        string[] domains = ["d1", "d2", "d3"];
        foreach (var d in domains)
        {
            memory.AddDomain(d, 8);
            memory.CreateView(d);
            memory.CreateView(d);
        }
        for (var step = 0; step < 300; step++)
        {
            var d = domains[random.Next(3)];
            var gfn = random.Next(8);
            var view = random.Next(1, 3);
            switch (random.Next(21))
            {
                case 20:
                    // The domain leaves the host and another copy of it arrives: new frames, no views, nothing shared.
                    memory.RemoveDomain(d);
                    memory.AddDomain(d, 8);
                    memory.CreateView(d);
                    memory.CreateView(d);
                    break;
                case 0 or 5 or 6 or 7: memory.Nominate(d, gfn); break;
                case 1 or 8 or 9 or 10:
                    var other = domains[random.Next(3)];
                    var otherGfn = random.Next(8);
                    if (memory.Nominate(d, gfn).Succeeded && memory.Nominate(other, otherGfn).Succeeded) memory.Share(d, gfn, other, otherGfn);
                    break;
                case 2 or 11 or 12 or 13: memory.Unshare(d, gfn); break;
                case 3 or 14 or 15 or 16: memory.SetAccess(d, view, gfn, (PageAccess)random.Next(4)); break;
                default: memory.ChangeGfn(d, view, gfn, random.Next(8)); break;
            }
            if (memory.StaleViews() is [var first, ..]) return $"step {step}: {first}";
        }
        return null;
    }
}
