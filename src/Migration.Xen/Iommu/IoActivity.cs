namespace Migration.Xen.Iommu;

/// <summary>
/// The IOMMU calls of one migrating domain's I/O, from the moment it started, in time order: the
/// i-th grant at start + i/grants-per-second (the backend maps it, then unmaps it: two calls on the
/// hardware domain's context), the j-th balloon page at start + j/pages-per-second (freed, then
/// populated again: two calls on the domain's own context, by the P2M's <c>set_entry</c>, the page
/// tables being separate); a grant before a balloon page at the same tick. Calls are produced on
/// demand and counted by formula, so a long migration costs nothing until a call fails.
/// </summary>
public sealed class IoActivity
{
    private readonly OpSchedule grantOps;
    private readonly OpSchedule balloonOps;
    private readonly IommuCaller balloonCaller;
    private long grants;     // grant operations produced
    private long balloons;   // balloon operations produced
    private IoCall? second;  // the second call of the operation last produced, still to come

    /// <param name="balloonCaller">
    /// What updates the domain's P2M entry when its balloon frees or repopulates a page, unmapping then
    /// mapping it in the IOMMU: <see cref="IommuCaller.EptSetEntry"/> (Intel) or
    /// <see cref="IommuCaller.P2mPtSetEntry"/> (AMD), for an HVM guest whose IOMMU tables are separate.
    /// (With shared tables the IOMMU walks the P2M itself: the balloon calls nothing, and its rate is 0.)
    /// </param>
    /// <param name="balloonHoldTicks">How long each balloon page keeps the balloon from the next: the wait for its Device-TLB flush (0: none).</param>
    public IoActivity(double grantsPerSecond, double balloonPagesPerSecond, long startTicks, IommuCaller balloonCaller = IommuCaller.EptSetEntry, long balloonHoldTicks = 0)
    {
        if (balloonCaller is not (IommuCaller.EptSetEntry or IommuCaller.P2mPtSetEntry))
            throw new ArgumentOutOfRangeException(nameof(balloonCaller), balloonCaller, "a guest's P2M entries are updated by ept_set_entry() or p2m_pt_set_entry()");
        this.balloonCaller = balloonCaller;
        if (!(grantsPerSecond >= 0 && double.IsFinite(grantsPerSecond))) throw new ArgumentOutOfRangeException(nameof(grantsPerSecond), grantsPerSecond, "a rate is 0 or more");
        if (!(balloonPagesPerSecond >= 0 && double.IsFinite(balloonPagesPerSecond))) throw new ArgumentOutOfRangeException(nameof(balloonPagesPerSecond), balloonPagesPerSecond, "a rate is 0 or more");
        grantOps = new OpSchedule(startTicks, grantsPerSecond);
        balloonOps = new OpSchedule(startTicks, balloonPagesPerSecond, balloonHoldTicks);
        StartTicks = startTicks;
    }

    public long StartTicks { get; }

    /// <summary>Calls produced so far by <see cref="Next"/>.</summary>
    public long Produced { get; private set; }

    /// <summary>The next call, or null when the domain makes none.</summary>
    public IoCall? Next()
    {
        if (second is { } pending)
        {
            second = null;
            return Count(pending);
        }
        var grantAt = grantOps.OpTicks(grants + 1);
        var balloonAt = balloonOps.OpTicks(balloons + 1);
        if (grantAt == long.MaxValue && balloonAt == long.MaxValue) return null;
        var number = Produced + 1;
        if (grantAt <= balloonAt)
        {
            grants++;
            second = new IoCall(number + 1, grantAt, IommuCaller.GrantUnmap, IommuOperation.Unmap, OnHardwareDomain: true, grants);
            return Count(new IoCall(number, grantAt, IommuCaller.GrantMap, IommuOperation.Map, OnHardwareDomain: true, grants));
        }
        balloons++;
        second = new IoCall(number + 1, balloonAt, balloonCaller, IommuOperation.Map, OnHardwareDomain: false, balloons);
        return Count(new IoCall(number, balloonAt, balloonCaller, IommuOperation.Unmap, OnHardwareDomain: false, balloons));
    }

    /// <summary>Calls made at or before <paramref name="ticks"/>.</summary>
    public long CallsBy(long ticks) => 2 * (grantOps.OpsBy(ticks) + balloonOps.OpsBy(ticks));

    private IoCall Count(IoCall call)
    {
        Produced = call.Number;
        return call;
    }
}
