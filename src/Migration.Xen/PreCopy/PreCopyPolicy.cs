namespace Migration.Xen.PreCopy;

/// <summary>When to stop iterating, and how fast each live pass may send.</summary>
public abstract class PreCopyPolicy
{
    /// <summary>Under this many dirty pages pre-copy stops and copies (SPP_TARGET_DIRTY_COUNT; also the pre-4.6 rule).</summary>
    public const long TargetDirtyPages = 50;

    public abstract PreCopyPolicyKind Kind { get; }

    public abstract PreCopyDecision Decide(PreCopyProgress progress);

    /// <summary>The rate of live pass <paramref name="pass"/>, given the link and the dirty rate seen in the pass before.</summary>
    public abstract double PassBytesPerSecond(int pass, double linkBytesPerSecond, double dirtyBytesPerSecondLast);

    public static PreCopyPolicy For(PreCopyPolicyKind kind) => kind switch
    {
        PreCopyPolicyKind.Xen => XenPreCopy.Instance,
        PreCopyPolicyKind.Pre46 => Pre46PreCopy.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
