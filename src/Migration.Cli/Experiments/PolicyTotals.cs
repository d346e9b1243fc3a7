using Migration.Simulation.Reports;

namespace Migration.Cli.Experiments;

/// <summary>One policy's results over every seed of an experiment: counts summed, means over every migration that switched over.</summary>
internal sealed record PolicyTotals(string Policy, int Runs, RunSummary Summary)
{
    /// <summary>The totals of each policy, in the order the reports first name them.</summary>
    public static IReadOnlyList<PolicyTotals> Of(IReadOnlyList<RunReport> reports) =>
        reports.GroupBy(r => r.Policy)
            .Select(g => new PolicyTotals(g.Key, g.Count(), RunSummary.Of(g.SelectMany(r => r.Migrations).ToArray())))
            .ToArray();
}
