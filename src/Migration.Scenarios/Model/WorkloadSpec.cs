namespace Migration.Scenarios.Model;

/// <summary>What the guest's vCPUs write: a writable working set and the rate at which they dirty it.</summary>
public sealed record WorkloadSpec
{
    /// <summary>Bytes dirtied per second of running (0: idle).</summary>
    public double DirtyBytesPerSecond { get; init; }

    /// <summary>The share of memory the guest writes to, in (0, 1]. Default 0.25.</summary>
    public double WorkingSetFraction { get; init; } = 0.25;
}
