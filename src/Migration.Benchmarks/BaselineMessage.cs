namespace Migration.Benchmarks;

/// <summary>What the baseline allocates per message, like the engine's workloads do.</summary>
internal sealed class BaselineMessage(int target, long value)
{
    public int Target { get; } = target;

    public long Value { get; } = value;
}
