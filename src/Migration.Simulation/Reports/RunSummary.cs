using Migration.Xen.Oracle;

namespace Migration.Simulation.Reports;

/// <summary>Counts per outcome and mean times over the migrations that switched over.</summary>
public sealed record RunSummary(
    int Migrations, int Completed, int Corrupted, int Faulted, int Vetoed, int NeedlessVetoes, int Aborted, int Failed,
    long StalePages, long DmaFaults, double MeanDowntimeMs, double MeanTotalMs)
{
    public static RunSummary Of(IReadOnlyCollection<MigrationResult> results)
    {
        int Count(Outcome outcome) => results.Count(r => r.Outcome == outcome);
        var moved = results.Where(r => r.Outcome is Outcome.Completed or Outcome.Corrupted or Outcome.Faulted).ToArray();
        return new RunSummary(
            results.Count, Count(Outcome.Completed), Count(Outcome.Corrupted), Count(Outcome.Faulted), Count(Outcome.Vetoed),
            Count(Outcome.NeedlessVeto), Count(Outcome.Aborted), Count(Outcome.Failed),
            results.Sum(r => r.StalePages), results.Sum(r => r.DmaFaults),
            moved.Length == 0 ? 0 : moved.Average(r => r.DowntimeMs),
            moved.Length == 0 ? 0 : moved.Average(r => r.TotalMs));
    }
}
