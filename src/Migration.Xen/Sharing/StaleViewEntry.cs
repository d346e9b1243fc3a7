namespace Migration.Xen.Sharing;

/// <summary>The oracle's finding: a view of <paramref name="Domain"/> maps <paramref name="Gfn"/> to a frame the domain's host P2M no longer has.</summary>
/// <param name="Domain">The domain whose view it is.</param>
/// <param name="View">The view's index (from 1; 0 is the host P2M).</param>
/// <param name="Gfn">The gfn the view maps.</param>
/// <param name="Frame">The frame it points at.</param>
/// <param name="FrameHolders">Who maps that frame now (domain and gfn), empty when it is free.</param>
public sealed record StaleViewEntry(string Domain, int View, long Gfn, long Frame, IReadOnlyList<string> FrameHolders)
{
    public override string ToString() =>
        $"view {View} of {Domain} maps gfn 0x{Gfn:x} to frame 0x{Frame:x}, which {Domain}'s host P2M no longer has " +
        (FrameHolders.Count == 0 ? "(it is free)" : $"(now {string.Join(", ", FrameHolders)})");
}
