using Migration.Simulation.Reports;

namespace Migration.Cli.Experiments;

/// <summary>
/// One policy's results over every seed of an experiment (under one invalidation mode, where the
/// experiment varies them): counts summed, means over every migration that switched over, and what
/// the Device-TLB flushes did.
/// </summary>
/// <param name="Findings">The oracle findings of its runs (stale altp2m views).</param>
internal sealed record PolicyTotals(string Policy, string? Invalidation, int Runs, RunSummary Summary, FlushTotals Flushes, int Findings)
{
    /// <summary>The totals of each policy (and mode), in the order the reports first name them.</summary>
    public static IReadOnlyList<PolicyTotals> Of(IReadOnlyList<RunReport> reports) =>
        reports.GroupBy(r => (r.Invalidation, r.Policy))
            .Select(g =>
            {
                var migrations = g.SelectMany(r => r.Migrations).ToArray();
                return new PolicyTotals(g.Key.Policy, g.Key.Invalidation, g.Count(), RunSummary.Of(migrations), FlushTotals.Of(migrations), g.Sum(r => r.Findings.Count));
            })
            .ToArray();
}

/// <summary>What the Device-TLB flushes did over a set of migrations (seeds/004, seeds/001).</summary>
internal sealed record FlushTotals(int DomainsCrashed, int DevicesBroken, long SecurityViolations, double CpuSpunMs, double VcpusBlockedMs)
{
    public static FlushTotals Of(IReadOnlyList<MigrationResult> migrations) => new(
        migrations.Count(m => m.DomainCrashed), migrations.Sum(m => m.DevicesBroken), migrations.Sum(m => m.SecurityViolations),
        migrations.Sum(m => m.CpuSpunMs), migrations.Sum(m => m.VcpusBlockedMs));
}
