namespace Migration.Xen.PreCopy;

/// <summary>
/// xc_domain_save.c before Xen 4.6: up to 29 iterations, stop under 50 dirty pages or once 3 times
/// the memory was sent; live passes rate limited from 100 Mbit/s, then the last dirty rate plus
/// 50 Mbit/s, never above 500 Mbit/s (nor the link).
/// </summary>
public sealed class Pre46PreCopy : PreCopyPolicy
{
    public const int LivePassesMax = 29;
    public const int SentMemoryFactorMax = 3;
    public const double StartBytesPerSecond = 100e6 / 8;
    public const double HeadroomBytesPerSecond = 50e6 / 8;
    public const double CapBytesPerSecond = 500e6 / 8;

    public static Pre46PreCopy Instance { get; } = new();

    public override PreCopyPolicyKind Kind => PreCopyPolicyKind.Pre46;

    public override PreCopyDecision Decide(PreCopyProgress progress) =>
        progress.DirtyPages < TargetDirtyPages
        || progress.PassesDone >= LivePassesMax
        || progress.PagesSentTotal >= SentMemoryFactorMax * progress.MemoryPages
            ? PreCopyDecision.StopAndCopy
            : PreCopyDecision.ContinuePreCopy;

    public override double PassBytesPerSecond(int pass, double linkBytesPerSecond, double dirtyBytesPerSecondLast)
    {
        var limit = pass == 0
            ? StartBytesPerSecond
            : Math.Min(CapBytesPerSecond, Math.Max(StartBytesPerSecond, dirtyBytesPerSecondLast + HeadroomBytesPerSecond));
        return Math.Min(linkBytesPerSecond, limit);
    }
}
