namespace Migration.Scenarios.Model;

/// <summary>The link between any two hosts.</summary>
public sealed record NetworkSpec
{
    /// <summary>Bytes per second. Default 1 Gbit/s (125,000,000 bytes/s).</summary>
    public double BytesPerSecond { get; init; } = 125_000_000;

    /// <summary>One-way latency. Default 100 us.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMicroseconds(100);
}
