using Migration.Simulation.Events;
using Migration.Xen;
using Migration.Xen.Oracle;

namespace Migration.Simulation.Reports;

/// <summary>The journal's record of a migration's verdict, and its reading back.</summary>
public static class Timeline
{
    /// <summary>The journal's record of a Device-TLB flush that timed out on <paramref name="bdfs"/> of <paramref name="domain"/>.</summary>
    public static DeviceTlbFlushTimedOut FlushTimedOut(string domain, IEnumerable<string> bdfs)
    {
        var timedOut = new DeviceTlbFlushTimedOut { Domain = domain };
        timedOut.Bdfs.AddRange(bdfs);
        return timedOut;
    }

    public static MigrationEnded Ended(MigrationResult result, int fromHost, int toHost) => new()
    {
        Migration = result.Index,
        Domain = result.Domain,
        Outcome = OutcomeNames.Of(result.Outcome),
        RefusedBy = result.Refusal is { } refusal ? RefuserNames.Of(refusal.By) : "",
        Rule = result.Refusal?.Rule ?? "",
        Reason = result.Reason,
        Passes = result.Passes,
        PagesSent = result.PagesSent,
        StalePages = result.StalePages,
        DmaFaults = result.DmaFaults,
        DowntimeTicks = result.DowntimeTicks,
        TotalTicks = result.TotalTicks,
        MeanRateBytesPerSecond = result.MeanRateBytesPerSecond,
        MinRateBytesPerSecond = result.MinRateBytesPerSecond,
        IommuCalls = result.IommuCalls,
        IommuFailures = result.IommuFailures,
        IommuDisagreements = result.IommuDisagreements,
        DomainCrashed = result.DomainCrashed,
        CpuSpunTicks = result.CpuSpunTicks,
        VcpusBlockedTicks = result.VcpusBlockedTicks,
        DevicesBroken = result.DevicesBroken,
        SecurityViolations = result.SecurityViolations,
        FirstViolation = result.FirstViolation,
        DevicesStalled = result.DevicesStalled,
        FromHost = fromHost,
        ToHost = toHost,
        Error = result.Refusal?.Error ?? "",
        ReplugDevice = result.Replug?.Device ?? "",
        ReplugRefusedBy = result.Replug is { } replug ? RefuserNames.Of(replug.Refusal.By) : "",
        ReplugRule = result.Replug?.Refusal.Rule ?? "",
        ReplugError = result.Replug?.Refusal.Error ?? "",
        ReplugReason = result.Replug?.Refusal.Reason ?? "",
    };
}
