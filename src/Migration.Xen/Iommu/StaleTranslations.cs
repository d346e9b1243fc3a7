namespace Migration.Xen.Iommu;

/// <summary>
/// Which machine frames each domain owns, each domain's IOMMU page table, and what each device has
/// cached of it (its IOTLB or Device-TLB entries): the model in which break-before-make is checked
/// (seeds/001). An unmap removes the page-table entry at once; a device's cached translation lasts
/// until the flush completes. Freeing the frame before then (a deferred flush) lets the device reach
/// a frame that is free or another domain's: the DMA is reported as a <see cref="DmaAccessKind.Violation"/>.
/// </summary>
public sealed class StaleTranslations
{
    private readonly Dictionary<long, string> owners = new();                       // frame -> owning domain (absent: free)
    private readonly Dictionary<(string Domain, long Gfn), long> tables = new();     // the IOMMU page tables
    private readonly Dictionary<(string Device, long Gfn), Cached> cached = new();   // what devices cached
    private readonly Dictionary<string, string> deviceDomains = new();               // device -> the domain it is assigned to

    private readonly record struct Cached(long Frame, long FlushedAtTicks);

    public StaleTranslations(TranslationFaultMode faultMode = TranslationFaultMode.Terminate)
    {
        FaultMode = faultMode;
    }

    public TranslationFaultMode FaultMode { get; }

    /// <summary>Translation faults, rate limited in the log.</summary>
    public FaultLog Faults { get; } = new();

    /// <summary>Transactions that reached a frame their domain no longer owned.</summary>
    public long Violations { get; private set; }

    public string? OwnerOf(long frame) => owners.GetValueOrDefault(frame);

    /// <summary>The device does DMA for <paramref name="domain"/> (assignment).</summary>
    public void Assign(string device, string domain) => deviceDomains[device] = domain;

    /// <summary>Gives a free frame to a domain and maps it at <paramref name="gfn"/> in the domain's IOMMU table.</summary>
    public void Map(string domain, long gfn, long frame)
    {
        if (owners.TryGetValue(frame, out var owner)) throw new InvalidOperationException($"frame {frame} is {owner}'s, not free");
        if (tables.ContainsKey((domain, gfn))) throw new InvalidOperationException($"{domain}'s gfn {gfn} is already mapped");
        owners[frame] = domain;
        tables[(domain, gfn)] = frame;
    }

    /// <summary>
    /// Unmaps <paramref name="gfn"/> from the domain's table at <paramref name="nowTicks"/>; the devices'
    /// cached translations of it last until <paramref name="flushedAtTicks"/>. Returns the frame, still
    /// the domain's until <see cref="Free"/>.
    /// </summary>
    public long Unmap(string domain, long gfn, long nowTicks, long flushedAtTicks)
    {
        if (flushedAtTicks < nowTicks) throw new ArgumentOutOfRangeException(nameof(flushedAtTicks), flushedAtTicks, "a flush completes after it is issued");
        if (!tables.Remove((domain, gfn), out var frame)) throw new InvalidOperationException($"{domain}'s gfn {gfn} is not mapped");
        foreach (var (device, owner) in deviceDomains)
        {
            if (owner == domain && cached.TryGetValue((device, gfn), out var entry) && entry.Frame == frame)
                cached[(device, gfn)] = entry with { FlushedAtTicks = flushedAtTicks };
        }
        return frame;
    }

    /// <summary>The frame leaves its domain (back to the hypervisor's free pages).</summary>
    public void Free(long frame)
    {
        if (!owners.Remove(frame)) throw new InvalidOperationException($"frame {frame} is already free");
    }

    /// <summary>
    /// One DMA transaction of <paramref name="device"/> to <paramref name="gfn"/> at <paramref name="nowTicks"/>:
    /// through its cached translation while the flush has not completed, else through the table
    /// (and then cached); a translation fault when neither has it.
    /// </summary>
    public DmaAccess Dma(string device, long gfn, long nowTicks)
    {
        if (!deviceDomains.TryGetValue(device, out var domain)) throw new InvalidOperationException($"device {device} is assigned to no domain");
        if (cached.TryGetValue((device, gfn), out var entry))
        {
            if (nowTicks < entry.FlushedAtTicks) return Reach(domain, entry.Frame);
            cached.Remove((device, gfn));
        }
        if (tables.TryGetValue((domain, gfn), out var frame))
        {
            cached[(device, gfn)] = new Cached(frame, long.MaxValue);
            return Reach(domain, frame);
        }
        Faults.Record(nowTicks);
        return new DmaAccess(FaultMode == TranslationFaultMode.Terminate ? DmaAccessKind.FaultTerminated : DmaAccessKind.FaultStalled, null, null);
    }

    private DmaAccess Reach(string domain, long frame)
    {
        var owner = owners.GetValueOrDefault(frame);
        if (owner == domain) return new DmaAccess(DmaAccessKind.Translated, frame, owner);
        Violations++;
        return new DmaAccess(DmaAccessKind.Violation, frame, owner);
    }
}
