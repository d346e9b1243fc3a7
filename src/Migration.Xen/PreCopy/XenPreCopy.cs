namespace Migration.Xen.PreCopy;

/// <summary>
/// Today's <c>simple_precopy_policy</c>: stop-and-copy when a pass leaves fewer than 50 dirty pages or
/// after 5 live passes (SPP_MAX_ITERATIONS), every pass at the link's full rate.
/// </summary>
public sealed class XenPreCopy : PreCopyPolicy
{
    public const int LivePassesMax = 5;

    public static XenPreCopy Instance { get; } = new();

    public override PreCopyPolicyKind Kind => PreCopyPolicyKind.Xen;

    public override PreCopyDecision Decide(PreCopyProgress progress) =>
        progress.DirtyPages < TargetDirtyPages || progress.PassesDone >= LivePassesMax
            ? PreCopyDecision.StopAndCopy
            : PreCopyDecision.ContinuePreCopy;

    public override double PassBytesPerSecond(int pass, double linkBytesPerSecond, double dirtyBytesPerSecondLast) => linkBytesPerSecond;
}
