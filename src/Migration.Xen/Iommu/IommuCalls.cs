namespace Migration.Xen.Iommu;

/// <summary>
/// Runs one call of an IOMMU caller over a range of pages against a domain's mappings, failing the
/// page calls its IOMMU's plan says, and doing after a failure what seeds/000's table and iommu.c say
/// (<see cref="IommuCallers"/>).
/// </summary>
public static class IommuCalls
{
    /// <summary>The most pages one call covers: a 1 GiB superpage.</summary>
    public const int PagesMax = 1 << 18;

    public static IommuCallResult Execute(DomainMappings domain, bool hardwareDomain, IommuCaller caller, IommuOperation operation,
        long firstGfn, int pages, IommuFailurePlan plan, SetEntryRollback setEntry = SetEntryRollback.Xen)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(plan);
        var rule = IommuCallers.Of(caller);
        if (!rule.Operations.Contains(operation)) throw new ArgumentException($"{rule.Function} does not {(operation == IommuOperation.Map ? "map" : "unmap")} pages", nameof(operation));
        if (rule.HardwareDomainOnly && !hardwareDomain) throw new ArgumentException($"only the hardware domain calls {rule.Function}", nameof(hardwareDomain));
        ArgumentOutOfRangeException.ThrowIfNegative(firstGfn);
        if (pages < 1 || pages > PagesMax) throw new ArgumentOutOfRangeException(nameof(pages), pages, $"a call covers 1 to {PagesMax} pages");

        var call = new Call(domain, hardwareDomain, plan);
        if (operation == IommuOperation.Map) MapLoop(call, RollbackOf(rule, setEntry), firstGfn, pages);
        else UnmapLoop(call, firstGfn, pages);
        var succeeded = call.Failed == 0;
        if (succeeded || rule.P2m == P2mUpdate.First)
        {
            for (var i = 0; i < pages; i++) domain.SetP2m(firstGfn + i, operation == IommuOperation.Map);
        }
        return new IommuCallResult(succeeded ? null : rule.Error, call.Failed, call.FirstFailedGfn, call.Crashed, call.PageCalls);
    }

    private static IommuRollback RollbackOf(IommuCallerRule rule, SetEntryRollback setEntry) =>
        (rule.Caller is IommuCaller.EptSetEntry or IommuCaller.P2mPtSetEntry) && setEntry == SetEntryRollback.Thread ? IommuRollback.StopAndKeep : rule.MapRollback;

    private static void MapLoop(Call call, IommuRollback rollback, long firstGfn, int pages)
    {
        for (var i = 0; i < pages; i++)
        {
            if (call.Page(firstGfn + i, map: true) || rollback == IommuRollback.Continue) continue;
            if (rollback == IommuRollback.UnmapThisCall)
            {
                // Best effort, as the callers write it: an unmap that fails here is not retried.
                for (var j = i - 1; j >= 0; j--) call.Page(firstGfn + j, map: false);
            }
            return;
        }
    }

    // iommu.c: a guest's unmap loop stops at the failure (the domain is crashed); the hardware
    // domain's goes on unmapping the rest and returns the first error.
    private static void UnmapLoop(Call call, long firstGfn, int pages)
    {
        for (var i = 0; i < pages; i++)
        {
            if (!call.Page(firstGfn + i, map: false) && !call.HardwareDomain) return;
        }
    }

    /// <summary>One call's page calls: <c>iommu_map_page()</c> and <c>iommu_unmap_page()</c>, each of which crashes a guest when it fails.</summary>
    private sealed class Call(DomainMappings domain, bool hardwareDomain, IommuFailurePlan plan)
    {
        public bool HardwareDomain { get; } = hardwareDomain;
        public int Failed { get; private set; }
        public long? FirstFailedGfn { get; private set; }
        public bool Crashed { get; private set; }
        public int PageCalls { get; private set; }

        public bool Page(long gfn, bool map)
        {
            PageCalls++;
            if (plan.NextFails())
            {
                Failed++;
                FirstFailedGfn ??= gfn;
                if (!HardwareDomain) Crashed = true;
                return false;
            }
            domain.SetIommu(gfn, map);
            return true;
        }
    }
}
