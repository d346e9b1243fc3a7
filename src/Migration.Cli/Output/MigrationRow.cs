using Migration.Simulation.Events;
using Migration.Simulation.Reports;
using Migration.Xen;
using Migration.Xen.Oracle;

namespace Migration.Cli.Output;

/// <summary>One migration as the command line shows it, from a fresh report or from the journal's verdict row.</summary>
internal sealed record MigrationRow(
    string Domain, string From, string To, string Outcome, string RefusedBy, string Rule, string Error, string Reason,
    int Passes, long PagesSent, long StalePages, long DmaFaults, double DowntimeMs, double TotalMs, double MeanRateBytesPerSecond,
    long IommuCalls = 0, long IommuFailures = 0, long IommuDisagreements = 0,
    double CpuSpunMs = 0, double VcpusBlockedMs = 0, int DevicesBroken = 0, long SecurityViolations = 0, string FirstViolation = "")
{
    public static MigrationRow Of(MigrationResult m) => new(
        m.Domain, m.From, m.To, OutcomeNames.Of(m.Outcome), m.Refusal is { } r ? RefuserNames.Of(r.By) : "", m.Refusal?.Rule ?? "", m.Refusal?.Error ?? "",
        m.Reason, m.Passes, m.PagesSent, m.StalePages, m.DmaFaults, m.DowntimeMs, m.TotalMs, m.MeanRateBytesPerSecond, m.IommuCalls, m.IommuFailures, m.IommuDisagreements,
        m.CpuSpunMs, m.VcpusBlockedMs, m.DevicesBroken, m.SecurityViolations, m.FirstViolation);

    /// <param name="hostNames">The run's hosts by index (the journal names hosts by index).</param>
    public static MigrationRow Of(MigrationEnded m, IReadOnlyList<string> hostNames) => new(
        m.Domain, HostName(hostNames, m.FromHost), HostName(hostNames, m.ToHost), m.Outcome, m.RefusedBy, m.Rule, m.Error, m.Reason,
        m.Passes, m.PagesSent, m.StalePages, m.DmaFaults,
        m.DowntimeTicks / (double)TimeSpan.TicksPerMillisecond, m.TotalTicks / (double)TimeSpan.TicksPerMillisecond, m.MeanRateBytesPerSecond,
        m.IommuCalls, m.IommuFailures, m.IommuDisagreements,
        m.CpuSpunTicks / (double)TimeSpan.TicksPerMillisecond, m.VcpusBlockedTicks / (double)TimeSpan.TicksPerMillisecond, m.DevicesBroken, m.SecurityViolations, m.FirstViolation);

    private static string HostName(IReadOnlyList<string> hostNames, int index) =>
        index >= 0 && index < hostNames.Count ? hostNames[index] : $"host {index}";
}
