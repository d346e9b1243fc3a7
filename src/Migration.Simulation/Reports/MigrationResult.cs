using Migration.Xen;
using Migration.Xen.Oracle;

namespace Migration.Simulation.Reports;

/// <summary>How one scheduled migration ended (one row of the report).</summary>
public sealed record MigrationResult
{
    public required int Index { get; init; }
    public required string Domain { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required Outcome Outcome { get; init; }

    /// <summary>The refusal for vetoed migrations (and the reason of aborted/failed ones in <see cref="Reason"/>).</summary>
    public Refusal? Refusal { get; init; }

    public string Reason { get; init; } = "";

    /// <summary>
    /// After an unplug-replug migration, the first device the destination could not plug back (all of
    /// them are in the report's refusals); null when every device went back in, or none was to.
    /// </summary>
    public DeviceRefusal? Replug { get; init; }

    /// <summary>Iterations of pre-copy, the final stop-and-copy included.</summary>
    public int Passes { get; init; }

    public long PagesSent { get; init; }
    public long StalePages { get; init; }
    public long DmaFaults { get; init; }
    public long DowntimeTicks { get; init; }
    public long TotalTicks { get; init; }
    public long StartTicks { get; init; }
    public long EndTicks { get; init; }

    /// <summary>Bytes per second over its passes: every byte it put on the wire over all the time they took; 0 if it sent nothing.</summary>
    public double MeanRateBytesPerSecond { get; init; }

    /// <summary>The mean rate of its slowest pass; 0 if it sent nothing.</summary>
    public double MinRateBytesPerSecond { get; init; }

    /// <summary>IOMMU page calls its domain's grants and balloon made while it migrated (seeds/000).</summary>
    public long IommuCalls { get; init; }

    /// <summary>Of those, the ones that failed.</summary>
    public long IommuFailures { get; init; }

    /// <summary>Pages a failed call left with the P2M and the IOMMU disagreeing in a domain still running (the oracle's finding).</summary>
    public long IommuDisagreements { get; init; }

    /// <summary>A failed IOMMU call crashed the domain.</summary>
    public bool DomainCrashed { get; init; }

    /// <summary>Whether anything of the IOMMU's calls is to report.</summary>
    public bool HasIommuActivity => IommuCalls > 0 || IommuFailures > 0 || DomainCrashed;

    /// <summary>CPU time spent spinning on its domain's Device-TLB flushes (spin, and timeout up to its 1 s).</summary>
    public long CpuSpunTicks { get; init; }

    /// <summary>Its domain's vCPU time kept out of guest mode while flushes completed (async-hold), summed over its vCPUs.</summary>
    public long VcpusBlockedTicks { get; init; }

    /// <summary>Devices of its domain a timed-out flush left marked broken.</summary>
    public int DevicesBroken { get; init; }

    /// <summary>DMA transactions of its domain's devices that reached a page after it was freed (a deferred flush): the oracle's security violations.</summary>
    public long SecurityViolations { get; init; }

    /// <summary>The first of them: the domain, page and device, and when ("" for none).</summary>
    public string FirstViolation { get; init; } = "";

    public double CpuSpunMs => CpuSpunTicks / (double)TimeSpan.TicksPerMillisecond;

    public double VcpusBlockedMs => VcpusBlockedTicks / (double)TimeSpan.TicksPerMillisecond;

    /// <summary>Devices of its domain stalled on a translation fault (<c>iommu.translation-faults: stall</c>): their DMA stopped until log-dirty went off.</summary>
    public int DevicesStalled { get; init; }

    /// <summary>Whether anything of the Device-TLB flushes is to report.</summary>
    public bool HasInvalidationActivity => CpuSpunTicks > 0 || VcpusBlockedTicks > 0 || DevicesBroken > 0 || SecurityViolations > 0;

    /// <summary>A migration that never started (the domain was not where asked, its host was down, the run ended first).</summary>
    public static MigrationResult NotStarted(int index, string domain, string from, string to, string reason, long nowTicks) => new()
    {
        Index = index, Domain = domain, From = from, To = to, Outcome = Outcome.Failed, Reason = reason, StartTicks = nowTicks, EndTicks = nowTicks,
    };

    public double DowntimeMs => DowntimeTicks / (double)TimeSpan.TicksPerMillisecond;
    public double TotalMs => TotalTicks / (double)TimeSpan.TicksPerMillisecond;
}
