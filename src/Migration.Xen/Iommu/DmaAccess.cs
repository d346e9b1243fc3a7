namespace Migration.Xen.Iommu;

/// <summary>One DMA transaction's end, and for a violation whose page it reached.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="Frame">The machine frame it reached (translated or violation), or null.</param>
/// <param name="FrameOwner">Who owned that frame then (null: free, in the hypervisor's hands).</param>
public readonly record struct DmaAccess(DmaAccessKind Kind, long? Frame, string? FrameOwner);
