namespace Migration.Benchmarks;

/// <summary>One benchmark's figure beside its raw baseline, measured in the same process.</summary>
/// <param name="Name">Stable identifier, e.g. <c>ping-pong</c>.</param>
/// <param name="Operations">Messages (or timers) per measured repetition.</param>
/// <param name="PerSecond">Best repetition's operations per wall second through the engine.</param>
/// <param name="BaselinePerSecond">Best repetition of the bare priority-queue loop doing the equivalent pushes and pops.</param>
public sealed record BenchmarkResult(string Name, string Description, long Operations, double PerSecond, double BaselinePerSecond)
{
    /// <summary>Engine over baseline: 1.0 means as fast as the bare loop.</summary>
    public double Ratio => BaselinePerSecond > 0 ? PerSecond / BaselinePerSecond : 0;
}
