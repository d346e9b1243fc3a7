using Migration.Simulation.Wire;
using Migration.Xen;
using Migration.Xen.Oracle;

namespace Migration.Simulation.Reports;

/// <summary>
/// A <see cref="RunReport"/> to and from its protobuf form (proto/report.proto), field for field, so
/// a report made in another process writes the same bytes to every output as one made here.
/// </summary>
public static class ReportWire
{
    public static RunReportMessage ToMessage(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var message = new RunReportMessage
        {
            Scenario = report.Scenario, Policy = report.Policy, Toolstack = report.Toolstack, Seed = report.Seed, ResultHash = report.ResultHash,
            Summary = ToMessage(report.Summary), VirtualSeconds = report.VirtualSeconds, RunId = report.RunId ?? "",
            CounterfactualRuns = report.CounterfactualRuns, ExecutionDigest = report.ExecutionDigest, Invalidation = report.Invalidation ?? "",
            Altp2M = report.Altp2m ?? "",
        };
        message.Migrations.AddRange(report.Migrations.Select(ToMessage));
        message.Refusals.AddRange(report.Refusals.Select(ToMessage));
        message.Findings.AddRange(report.Findings.Select(ToMessage));
        return message;
    }

    /// <summary>The report a message holds; a message that is not one (an unknown outcome or refuser) is an error saying which.</summary>
    public static RunReport FromMessage(RunReportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var s = message.Summary ?? throw new InvalidDataException("a run report without its summary");
        return new RunReport
        {
            Scenario = message.Scenario, Policy = message.Policy, Toolstack = message.Toolstack, Seed = message.Seed, ResultHash = message.ResultHash,
            Migrations = message.Migrations.Select(FromMessage).ToArray(),
            Refusals = message.Refusals.Select(FromMessage).ToArray(),
            Findings = message.Findings.Select(FromMessage).ToArray(),
            Summary = new RunSummary(s.Migrations, s.Completed, s.Corrupted, s.Faulted, s.Vetoed, s.NeedlessVetoes, s.Aborted, s.Failed, s.StalePages, s.DmaFaults,
                s.MeanDowntimeMs, s.MeanTotalMs),
            VirtualSeconds = message.VirtualSeconds, RunId = message.RunId.Length == 0 ? null : message.RunId,
            CounterfactualRuns = message.CounterfactualRuns, ExecutionDigest = message.ExecutionDigest,
            Invalidation = message.Invalidation.Length == 0 ? null : message.Invalidation,
            Altp2m = message.Altp2M.Length == 0 ? null : message.Altp2M,
        };
    }

    private static RunSummaryMessage ToMessage(RunSummary s) => new()
    {
        Migrations = s.Migrations, Completed = s.Completed, Corrupted = s.Corrupted, Faulted = s.Faulted, Vetoed = s.Vetoed, NeedlessVetoes = s.NeedlessVetoes,
        Aborted = s.Aborted, Failed = s.Failed, StalePages = s.StalePages, DmaFaults = s.DmaFaults, MeanDowntimeMs = s.MeanDowntimeMs, MeanTotalMs = s.MeanTotalMs,
    };

    public static MigrationResultMessage ToMessage(MigrationResult m)
    {
        var message = new MigrationResultMessage
        {
            Index = m.Index, Domain = m.Domain, From = m.From, To = m.To, Outcome = OutcomeNames.Of(m.Outcome), Reason = m.Reason, Passes = m.Passes,
            PagesSent = m.PagesSent, StalePages = m.StalePages, DmaFaults = m.DmaFaults, DowntimeTicks = m.DowntimeTicks, TotalTicks = m.TotalTicks,
            StartTicks = m.StartTicks, EndTicks = m.EndTicks, ReplugDevice = m.Replug?.Device ?? "",
            MeanRateBytesPerSecond = m.MeanRateBytesPerSecond, MinRateBytesPerSecond = m.MinRateBytesPerSecond,
            IommuCalls = m.IommuCalls, IommuFailures = m.IommuFailures, IommuDisagreements = m.IommuDisagreements, DomainCrashed = m.DomainCrashed,
            CpuSpunTicks = m.CpuSpunTicks, VcpusBlockedTicks = m.VcpusBlockedTicks, DevicesBroken = m.DevicesBroken, SecurityViolations = m.SecurityViolations,
            FirstViolation = m.FirstViolation, DevicesStalled = m.DevicesStalled,
        };
        if (m.Refusal is { } refusal) message.Refusal = ToMessage(refusal);
        if (m.Replug is { } replug) message.ReplugRefusal = ToMessage(replug.Refusal);
        return message;
    }

    public static MigrationResult FromMessage(MigrationResultMessage m) => new()
    {
        Index = m.Index, Domain = m.Domain, From = m.From, To = m.To,
        Outcome = OutcomeNames.TryParse(m.Outcome, out var outcome) ? outcome : throw new InvalidDataException($"migration {m.Index}: unknown outcome '{m.Outcome}'"),
        Refusal = m.Refusal is null ? null : FromMessage(m.Refusal), Reason = m.Reason,
        Replug = m.ReplugRefusal is null ? null : new DeviceRefusal(m.ReplugDevice, FromMessage(m.ReplugRefusal)),
        Passes = m.Passes, PagesSent = m.PagesSent, StalePages = m.StalePages, DmaFaults = m.DmaFaults, DowntimeTicks = m.DowntimeTicks,
        TotalTicks = m.TotalTicks, StartTicks = m.StartTicks, EndTicks = m.EndTicks,
        MeanRateBytesPerSecond = m.MeanRateBytesPerSecond, MinRateBytesPerSecond = m.MinRateBytesPerSecond,
        IommuCalls = m.IommuCalls, IommuFailures = m.IommuFailures, IommuDisagreements = m.IommuDisagreements, DomainCrashed = m.DomainCrashed,
        CpuSpunTicks = m.CpuSpunTicks, VcpusBlockedTicks = m.VcpusBlockedTicks, DevicesBroken = m.DevicesBroken, SecurityViolations = m.SecurityViolations,
        FirstViolation = m.FirstViolation, DevicesStalled = m.DevicesStalled,
    };

    public static RefusalRecordMessage ToMessage(RefusalRecord r) => new()
    {
        Ticks = r.Ticks, Host = r.Host, HostName = r.HostName, HasDomain = r.Domain is not null, Domain = r.Domain ?? "",
        HasDevice = r.Device is not null, Device = r.Device ?? "", HasMigration = r.Migration is not null, Migration = r.Migration ?? 0,
        Refusal = ToMessage(r.Refusal),
    };

    public static RefusalRecord FromMessage(RefusalRecordMessage r) => new(
        r.Ticks, r.Host, r.HostName, r.HasDomain ? r.Domain : null, r.HasDevice ? r.Device : null, r.HasMigration ? r.Migration : null,
        FromMessage(r.Refusal ?? throw new InvalidDataException("a refusal record without its refusal")));

    public static OracleFindingMessage ToMessage(OracleFinding f) => new()
    {
        Ticks = f.Ticks, Host = f.Host, HostName = f.HostName, Domain = f.Domain, Check = f.Check, Description = f.Description,
    };

    public static OracleFinding FromMessage(OracleFindingMessage f) => new(f.Ticks, f.Host, f.HostName, f.Domain, f.Check, f.Description);

    internal static RefusalMessage ToMessage(Refusal r) => new()
    {
        RefusedBy = RefuserNames.Of(r.By), Rule = r.Rule, Error = r.Error, Reason = r.Reason, Waivable = r.Waivable,
    };

    internal static Refusal FromMessage(RefusalMessage r) => new(
        RefuserNames.TryParse(r.RefusedBy, out var by) ? by : throw new InvalidDataException($"unknown refuser '{r.RefusedBy}'"),
        r.Rule, r.Error, r.Reason, r.Waivable);
}
