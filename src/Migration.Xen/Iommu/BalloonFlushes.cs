namespace Migration.Xen.Iommu;

/// <summary>
/// The Device-TLB flushes a migrating guest's balloon causes, and what they cost under an
/// <see cref="InvalidationMode"/> (seeds/004, seeds/001): each page the balloon frees is unmapped
/// from the domain's ATS devices, which must complete a flush before the page may be reused. The
/// balloon frees, in turn, the pages its device DMAs into (the case break-before-make exists for).
/// Everything is computed from the flush's latency and the schedule, when asked: nothing is stepped.
/// </summary>
public sealed class BalloonFlushes
{
    private long? stoppedTicks;
    private long chargedUntil = long.MaxValue;   // the under-way flush's charge ends here (the stop, unless a pause waits for it)
    private readonly int vcpus;
    private readonly double transferShare;   // of the pages leaving, those given away by gnttab_transfer()

    /// <param name="mode">How the hypervisor waits for the flush.</param>
    /// <param name="latency">How long the slowest of the domain's ATS devices takes to complete one (0 to 60 s).</param>
    /// <param name="vcpus">The domain's vCPUs, kept out of guest mode under async-hold.</param>
    /// <param name="startTicks">When the balloon starts (log-dirty on).</param>
    /// <param name="pagesPerSecond">The rate pages leave the guest: its balloon's and its transfers'.</param>
    /// <param name="transfersPerSecond">Of <paramref name="pagesPerSecond"/>, the pages its frontend gives its backend with <c>gnttab_transfer()</c>.</param>
    public BalloonFlushes(InvalidationMode mode, TimeSpan latency, int vcpus, long startTicks, double pagesPerSecond, double transfersPerSecond = 0)
    {
        if (!(transfersPerSecond >= 0 && transfersPerSecond <= pagesPerSecond))
            throw new ArgumentOutOfRangeException(nameof(transfersPerSecond), transfersPerSecond, "the transfers are part of the pages leaving");
        transferShare = pagesPerSecond > 0 ? transfersPerSecond / pagesPerSecond : 0;
        Mode = mode;
        Latency = latency;
        this.vcpus = vcpus;
        PerFlush = DeviceTlbFlush.Of(mode, latency, hardwareDomain: false, vcpus);
        // A flush that is waited for (spun on, or held) keeps the balloon from its next page until it ends.
        Schedule = new OpSchedule(startTicks, pagesPerSecond, Hold.Ticks);
    }

    public InvalidationMode Mode { get; }

    public TimeSpan Latency { get; }

    /// <summary>What each flush costs and risks.</summary>
    public FlushOutcome PerFlush { get; }

    /// <summary>When the balloon frees its pages (the hold of each flush included).</summary>
    public OpSchedule Schedule { get; }

    /// <summary>
    /// How long a flush keeps the balloon from its next page: the spin (its hypercall returns when the
    /// flush ends or times out), the hold (its vCPUs are out of guest mode); nothing when it is deferred.
    /// </summary>
    public TimeSpan Hold => Mode == InvalidationMode.AsyncHold ? PerFlush.PagesFreedAfter : PerFlush.CpuSpin;

    /// <summary>The first flush times out (timeout mode, a device slower than 1 s): when the device is broken and the guest crashed, else null.</summary>
    public long? TimesOutAt => PerFlush.DeviceBroken && Schedule.OpTicks(1) is var first && first != long.MaxValue ? first + PerFlush.CpuSpin.Ticks : null;

    /// <summary>
    /// The balloon stops (log-dirty off, the domain crashed or gone, a pause asked for): no page is freed
    /// after <paramref name="ticks"/>. The flush under way then is charged up to the stop, unless
    /// <paramref name="finishing"/>: a pause waits for it, so it is charged in full.
    /// </summary>
    public void Stop(long ticks, bool finishing = false)
    {
        if (stoppedTicks is not null) return;
        stoppedTicks = ticks;
        chargedUntil = finishing ? long.MaxValue : ticks;
    }

    /// <summary>When the flush under way at <paramref name="ticks"/> ends (its spin or hold), or <paramref name="ticks"/> when none is.</summary>
    public long InFlightEnd(long ticks)
    {
        var flushes = FlushesBy(ticks);
        if (flushes == 0) return ticks;
        var end = Schedule.OpTicks(flushes) + Hold.Ticks;
        return Math.Max(ticks, end);
    }

    /// <summary>Pages freed (flushes issued) at or before <paramref name="ticks"/>; after a timeout, none more.</summary>
    public long FlushesBy(long ticks)
    {
        var flushes = Schedule.OpsBy(Math.Min(ticks, stoppedTicks ?? long.MaxValue));
        return PerFlush.DeviceBroken ? Math.Min(flushes, 1) : flushes;
    }

    /// <summary>
    /// CPU time spun on the flushes by <paramref name="ticks"/>: each flush's spin, the last one's only
    /// up to then (or up to the stop: the model lets a pause end the wait, see the README).
    /// </summary>
    public TimeSpan CpuSpunBy(long ticks) => TimeSpan.FromTicks(SpentBy(ticks, PerFlush.CpuSpin.Ticks));

    /// <summary>vCPU time kept out of guest mode by <paramref name="ticks"/>: each flush's hold times the vCPUs, the last one's only up to then (or the stop).</summary>
    public TimeSpan VcpusBlockedBy(long ticks) =>
        PerFlush.VcpusBlocked <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(SpentBy(ticks, PerFlush.PagesFreedAfter.Ticks) * vcpus);

    /// <summary>
    /// Guest time the flushes took from the domain by <paramref name="ticks"/>: under async-hold every
    /// vCPU is out of guest mode for the hold, so the guest makes no progress; under spin (and timeout)
    /// one of its vCPUs is in the hypervisor, spinning: a vCPU's share of its progress. Deferred takes nothing.
    /// </summary>
    public long GuestTicksLostBy(long ticks) => Mode switch
    {
        InvalidationMode.AsyncHold => SpentBy(ticks, PerFlush.PagesFreedAfter.Ticks),
        InvalidationMode.Spin or InvalidationMode.Timeout => SpentBy(ticks, PerFlush.CpuSpin.Ticks) / vcpus,
        _ => 0,
    };

    // The time each flush issued by the tick spent of `each`, the one still under way counted up to the tick.
    private long SpentBy(long ticks, long each)
    {
        if (each <= 0) return 0;
        var flushes = FlushesBy(ticks);
        if (flushes == 0) return 0;
        var lastStarted = Schedule.OpTicks(flushes);
        var end = Math.Min(ticks, chargedUntil);
        return (flushes - 1) * each + Math.Clamp(end - lastStarted, 0, each);
    }

    /// <summary>
    /// Whether the <paramref name="op"/>-th page leaving (from 1) is a grant transfer rather than a
    /// balloon page: the two interleave evenly, the transfers spread through the sequence at their share.
    /// </summary>
    public bool IsTransfer(long op) =>
        transferShare > 0 && op >= 1 && Math.Floor(op * transferShare) > Math.Floor((op - 1) * transferShare);

    /// <summary>
    /// Whether a DMA of the device at <paramref name="ticks"/> to the <paramref name="ringIndex"/>-th
    /// page of its ring of <paramref name="ringPages"/> reaches a frame that already left the guest:
    /// the k-th page leaving is the ring's ((k - 1) mod ring)-th, and it stays reachable through the
    /// Device-TLB for <see cref="FlushOutcome.StaleWindow"/> after it left. Returns when it left, and
    /// whether it was given to the backend's domain (a transfer) rather than freed to Xen; null when it did not.
    /// </summary>
    public (long Ticks, bool Transferred)? LeftUnderDevice(long ringIndex, int ringPages, long ticks)
    {
        if (PerFlush.StaleWindow <= TimeSpan.Zero || ringIndex < 0 || ringIndex >= ringPages) return null;
        var freed = FlushesBy(ticks);
        if (freed == 0) return null;
        // The latest free of this ring page at or before the DMA: op k with (k - 1) mod ring == ringIndex.
        var k = freed - ((freed - 1 - ringIndex) % ringPages + ringPages) % ringPages;
        if (k < 1) return null;
        var at = Schedule.OpTicks(k);
        return at <= ticks && ticks - at < PerFlush.StaleWindow.Ticks ? (at, IsTransfer(k)) : null;
    }
}
