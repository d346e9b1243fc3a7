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
    private readonly double grantsPerSecond;
    private readonly double balloonPagesPerSecond;
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
    public IoActivity(double grantsPerSecond, double balloonPagesPerSecond, long startTicks, IommuCaller balloonCaller = IommuCaller.EptSetEntry)
    {
        if (balloonCaller is not (IommuCaller.EptSetEntry or IommuCaller.P2mPtSetEntry))
            throw new ArgumentOutOfRangeException(nameof(balloonCaller), balloonCaller, "a guest's P2M entries are updated by ept_set_entry() or p2m_pt_set_entry()");
        this.balloonCaller = balloonCaller;
        if (!(grantsPerSecond >= 0 && double.IsFinite(grantsPerSecond))) throw new ArgumentOutOfRangeException(nameof(grantsPerSecond), grantsPerSecond, "a rate is 0 or more");
        if (!(balloonPagesPerSecond >= 0 && double.IsFinite(balloonPagesPerSecond))) throw new ArgumentOutOfRangeException(nameof(balloonPagesPerSecond), balloonPagesPerSecond, "a rate is 0 or more");
        this.grantsPerSecond = grantsPerSecond;
        this.balloonPagesPerSecond = balloonPagesPerSecond;
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
        var grantAt = grantsPerSecond > 0 ? OpTicks(grants + 1, grantsPerSecond) : long.MaxValue;
        var balloonAt = balloonPagesPerSecond > 0 ? OpTicks(balloons + 1, balloonPagesPerSecond) : long.MaxValue;
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
    public long CallsBy(long ticks) => 2 * (OpsBy(ticks, grantsPerSecond) + OpsBy(ticks, balloonPagesPerSecond));

    private IoCall Count(IoCall call)
    {
        Produced = call.Number;
        return call;
    }

    // Saturates at long.MaxValue (never): a rate so small that its op falls past the end of time.
    private long OpTicks(long op, double perSecond)
    {
        var offset = op * (double)TimeSpan.TicksPerSecond / perSecond;
        return offset >= (double)(long.MaxValue - StartTicks) ? long.MaxValue : StartTicks + (long)offset;
    }

    // The largest op whose time is at or before the given tick, from the same formula as OpTicks (an
    // estimate, then corrected by a step either way where rounding put it off).
    private long OpsBy(long ticks, double perSecond)
    {
        if (perSecond <= 0 || ticks < StartTicks) return 0;
        var ops = (long)Math.Min((ticks - StartTicks) * perSecond / TimeSpan.TicksPerSecond, long.MaxValue / 4);
        while (ops > 0 && OpTicks(ops, perSecond) > ticks) ops--;
        while (OpTicks(ops + 1, perSecond) <= ticks) ops++;
        return ops;
    }
}
