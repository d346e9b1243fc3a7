using Migration.Simulation.Events;
using Migration.Simulation.Reports;
using Migration.Xen;

namespace Migration.Cli.Output;

/// <summary>One refusal as the command line shows it, from a fresh report or from the journal's row.</summary>
internal sealed record RefusalRow(double TimeMs, string Host, string Domain, string Device, string RefusedBy, string Rule, string Error, string Reason)
{
    public static RefusalRow Of(RefusalRecord r) => new(
        r.TimeMs, r.HostName, r.Domain ?? "", r.Device ?? "", RefuserNames.Of(r.Refusal.By), r.Refusal.Rule, r.Refusal.Error, r.Refusal.Reason);

    /// <param name="hostNames">The run's hosts by index (the journal names hosts by index).</param>
    public static RefusalRow Of(long ticks, RefusalRecorded r, IReadOnlyList<string> hostNames) => new(
        ticks / (double)TimeSpan.TicksPerMillisecond, r.Host >= 0 && r.Host < hostNames.Count ? hostNames[r.Host] : $"host {r.Host}",
        r.Domain, r.Device, r.RefusedBy, r.Rule, r.Error, r.Reason);
}
