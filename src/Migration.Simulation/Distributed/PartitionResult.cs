using Migration.Simulation.Reports;

namespace Migration.Simulation.Distributed;

/// <summary>
/// What one partition of a run (the hosts one process ran) tells the coordinator at the end: the
/// verdicts its hosts recorded, their refusals and oracle findings, its share of the oracle's digest, and each of its
/// hosts' delivery digest and count. The coordinator sums these into the run's report.
/// </summary>
/// <param name="Hosts">The partition's hosts, ascending.</param>
/// <param name="Digests">Per host of <paramref name="Hosts"/>, in the same order: its delivery digest and count.</param>
public sealed record PartitionResult(
    IReadOnlyList<int> Hosts,
    IReadOnlyList<MigrationResult> Results,
    IReadOnlyList<RefusalRecord> Refusals,
    IReadOnlyList<OracleFinding> Findings,
    ulong OracleDigest,
    IReadOnlyList<(ulong Digest, long Delivered)> Digests,
    long LastEndTicks,
    long ErrorCount);
