namespace Migration.Simulation.Reports;

/// <summary>One run's result: what was run and how each migration ended (the JSON report of `migration run --json`).</summary>
public sealed record RunReport
{
    public required string Scenario { get; init; }
    public required string Policy { get; init; }

    /// <summary>The toolstack every host ran, or <c>per-host</c> when the scenario's own were kept.</summary>
    public required string Toolstack { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>The invalidation mode the run's ATS devices were flushed under, or null when it has none and no mode was named.</summary>
    public string? Invalidation { get; init; }

    /// <summary>The altp2m sharing rules the run's altp2m and sharing events followed (xen, patch-v4); null when it had none and none was named.</summary>
    public string? Altp2m { get; init; }
    public required string ResultHash { get; init; }
    public required IReadOnlyList<MigrationResult> Migrations { get; init; }

    /// <summary>Every refusal of the run, at boot or later, in the order they were made (time, then host).</summary>
    public IReadOnlyList<RefusalRecord> Refusals { get; init; } = [];

    /// <summary>What the hosts' oracles found unsafe outside any one migration (stale altp2m views), by time.</summary>
    public IReadOnlyList<OracleFinding> Findings { get; init; } = [];
    public required RunSummary Summary { get; init; }

    /// <summary>When the last migration ended, in virtual seconds.</summary>
    public double VirtualSeconds { get; init; }

    /// <summary>The journal run id, or null when no journal was written.</summary>
    public string? RunId { get; init; }

    /// <summary>Counterfactual runs made to decide needless vetoes.</summary>
    public int CounterfactualRuns { get; init; }

    /// <summary>
    /// What the execution did beyond its report: the engine's digest of every delivery and the oracle's
    /// of every page set sent. <see cref="ResultHash"/> mixes it with the report's content.
    /// </summary>
    public ulong ExecutionDigest { get; init; }
}
