using Migration.Xen.Memory;

namespace Migration.Xen.Oracle;

/// <summary>
/// The oracle of one migration, outside the modelled hypervisor: it sees every DMA write that reached
/// memory and every page the source sent, and at switch-over counts the pages whose last write came
/// after their last send (stale on the destination). CPU writes need no record here: log-dirty sets
/// their bit, so each is followed by a send (a later pass or the final copy, made while paused); the
/// tests check that claim page by page against <see cref="GuestMemory.VersionOf"/>.
/// A page of a pass is taken to be sent at its place in the pass (pages go in pfn order at the pass's
/// rate), so a DMA write during a pass is stale exactly when it hit a page already sent.
/// </summary>
public sealed class MigrationOracle : IDisposable
{
    private readonly Dictionary<long, long> unsentWriteTicks = new();
    private PageBitmap? passPages;
    private long passStartTicks;
    private long passDurationTicks;

    /// <summary>DMA writes that reached memory during the migration.</summary>
    public long DmaWrites { get; private set; }

    /// <summary>DMA writes refused by the IOMMU during the migration.</summary>
    public long DmaFaults { get; private set; }

    /// <summary>Pages written by DMA since the last pass began (distinct).</summary>
    public long DmaPagesThisPass => pagesThisPass.Count;

    private readonly HashSet<long> pagesThisPass = new();

    /// <summary>Pages whose last DMA write has not been followed by a send of the page (yet).</summary>
    public long UnsentPages => unsentWriteTicks.Count;

    public bool SwitchedOver { get; private set; }

    public void RecordDmaWrite(long page, long ticks)
    {
        CheckOpen();
        unsentWriteTicks[page] = unsentWriteTicks.TryGetValue(page, out var last) ? Math.Max(last, ticks) : ticks;
        pagesThisPass.Add(page);
        DmaWrites++;
    }

    private Func<long, long>? iommuCallsBy;   // while the domain's I/O runs: its calls made by a tick
    private long iommuCalls;

    /// <summary>IOMMU page calls the domain's grants and balloon made by <paramref name="nowTicks"/> while it migrated (seeds/000).</summary>
    public long IommuCallsAt(long nowTicks) => iommuCallsBy?.Invoke(nowTicks) ?? iommuCalls;

    /// <summary>Of those, the ones that failed.</summary>
    public long IommuFailures { get; private set; }

    /// <summary>Pages a failed call left with the P2M and the IOMMU disagreeing, in a domain still running (the hardware domain's, for a backend's grant).</summary>
    public long IommuDisagreements { get; private set; }

    /// <summary>A failed call crashed the domain.</summary>
    public bool DomainCrashed { get; private set; }

    /// <summary>The domain's I/O started calling the IOMMU: <paramref name="callsBy"/> counts its calls by a tick, until <see cref="StopIommuCalls"/>.</summary>
    // The IOMMU's records are not checked against the switch-over: the domain's I/O runs until its log-dirty goes off, just after.
    public void TrackIommuCalls(Func<long, long> callsBy)
    {
        iommuCallsBy = callsBy ?? throw new ArgumentNullException(nameof(callsBy));
    }

    /// <summary>The domain's I/O stopped (log-dirty off, the domain crashed) after <paramref name="calls"/> calls.</summary>
    public void StopIommuCalls(long calls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        iommuCallsBy = null;
        iommuCalls = calls;
    }

    public void RecordIommuFailure(long disagreements, bool crashed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(disagreements);
        IommuFailures++;
        IommuDisagreements += disagreements;
        DomainCrashed |= crashed;
    }

    private Func<long, (long CpuSpun, long VcpusBlocked)>? flushCostBy;   // while the domain's balloon flushes: their cost by a tick
    private (long CpuSpun, long VcpusBlocked) flushCost;

    /// <summary>CPU ticks spun and vCPU ticks held by the domain's Device-TLB flushes by <paramref name="nowTicks"/> (seeds/004).</summary>
    public (long CpuSpun, long VcpusBlocked) FlushCostAt(long nowTicks)
    {
        var live = flushCostBy?.Invoke(nowTicks) ?? (0, 0);
        return (flushCost.CpuSpun + live.CpuSpun, flushCost.VcpusBlocked + live.VcpusBlocked);
    }

    /// <summary>Devices of the domain stalled on a translation fault.</summary>
    public int DevicesStalled { get; private set; }

    public void RecordDeviceStalled() => DevicesStalled++;

    /// <summary>Devices of the domain a timed-out flush left broken.</summary>
    public int DevicesBroken { get; private set; }

    /// <summary>DMA that reached a page after it was freed (a deferred flush): security violations.</summary>
    public long SecurityViolations { get; private set; }

    /// <summary>The first of them, described ("" for none).</summary>
    public string FirstViolation { get; private set; } = "";

    /// <summary>The domain's balloon started freeing pages under its devices: <paramref name="costBy"/> gives the flushes' cost by a tick, until <see cref="StopFlushes"/>.</summary>
    public void TrackFlushes(Func<long, (long CpuSpun, long VcpusBlocked)> costBy) => flushCostBy = costBy ?? throw new ArgumentNullException(nameof(costBy));

    /// <summary>The balloon stopped with the flushes having cost this much.</summary>
    public void StopFlushes(long cpuSpunTicks, long vcpusBlockedTicks)
    {
        flushCostBy = null;
        flushCost = (flushCost.CpuSpun + cpuSpunTicks, flushCost.VcpusBlocked + vcpusBlockedTicks);
    }

    /// <summary>A device taken from the domain (an unplug) had its Device-TLB flushed at this cost.</summary>
    public void RecordDetachFlush(long cpuSpunTicks, long vcpusBlockedTicks) =>
        flushCost = (flushCost.CpuSpun + cpuSpunTicks, flushCost.VcpusBlocked + vcpusBlockedTicks);

    /// <summary>Flushes timed out on devices of a copy already gone (the source, destroyed after the handover): broken, nothing crashed.</summary>
    public void RecordDevicesBroken(int devices)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(devices);
        DevicesBroken += devices;
    }

    /// <summary>A flush timed out (Xen 4.8 to 4.15): the devices are broken and the guest crashed.</summary>
    public void RecordFlushTimeout(int devices)
    {
        RecordDevicesBroken(devices);
        DomainCrashed = true;
    }

    /// <summary><paramref name="count"/> more violations; <paramref name="firstDescription"/> describes the first of them, kept if they are the migration's first.</summary>
    public void RecordSecurityViolations(long count, string firstDescription)
    {
        ArgumentNullException.ThrowIfNull(firstDescription);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (SecurityViolations == 0) FirstViolation = firstDescription;
        SecurityViolations += count;
    }

    public void RecordDmaFaults(long faults)
    {
        CheckOpen();
        if (faults < 0) throw new ArgumentOutOfRangeException(nameof(faults), faults, "not negative");
        DmaFaults += faults;
    }

    /// <summary>
    /// A live pass starts sending <paramref name="pages"/> (the oracle keeps it until every write made
    /// during the pass is known). Settles the previous pass first: call once the DMA up to now is recorded.
    /// <paramref name="durationTicks"/> is how long it is expected to take; where its rate may change
    /// on the way, <see cref="PassEnded"/> says how long it took.
    /// </summary>
    public void PassStarted(PageBitmap pages, long startTicks, long durationTicks)
    {
        ArgumentNullException.ThrowIfNull(pages);
        CheckOpen();
        SettlePass();
        passPages = pages;
        passStartTicks = startTicks;
        passDurationTicks = durationTicks;
        pagesThisPass.Clear();
    }

    /// <summary>
    /// The live pass took <paramref name="durationTicks"/> in the end: its pages are taken as sent
    /// evenly over that time (in page order), whatever its rate did on the way.
    /// </summary>
    public void PassEnded(long durationTicks)
    {
        CheckOpen();
        ArgumentOutOfRangeException.ThrowIfNegative(durationTicks);
        passDurationTicks = durationTicks;
    }

    /// <summary>
    /// The final copy with the domain paused (every write already made): settles the last live pass,
    /// then every page of <paramref name="finalPages"/> is sent after its writes. Returns the stale page count.
    /// </summary>
    public long SwitchOver(PageBitmap finalPages)
    {
        ArgumentNullException.ThrowIfNull(finalPages);
        CheckOpen();
        SettlePass();
        // Dictionary<,>.Remove does not invalidate an enumeration in progress: no copy of the keys needed.
        foreach (var page in unsentWriteTicks.Keys)
        {
            if (finalPages.Contains(page)) unsentWriteTicks.Remove(page);
        }
        SwitchedOver = true;
        return unsentWriteTicks.Count;
    }

    /// <summary>The pages stale on the destination (after <see cref="SwitchOver"/>), in page order.</summary>
    public IReadOnlyList<long> StalePages() => unsentWriteTicks.Keys.Order().ToArray();

    public void Dispose()
    {
        passPages?.Dispose();
        passPages = null;
    }

    private void SettlePass()
    {
        if (passPages is not { } pages) return;
        if (pages.Count > 0)
        {
            foreach (var (page, writeTicks) in unsentWriteTicks)
            {
                if (pages.Contains(page) && SendTicks(pages, page) > writeTicks) unsentWriteTicks.Remove(page);
            }
        }
        pages.Dispose();
        passPages = null;
    }

    private long SendTicks(PageBitmap pages, long page) =>
        passStartTicks + (long)((double)passDurationTicks * (pages.Rank(page) + 1) / pages.Count);

    private void CheckOpen()
    {
        if (SwitchedOver) throw new InvalidOperationException("the migration has switched over");
    }
}
