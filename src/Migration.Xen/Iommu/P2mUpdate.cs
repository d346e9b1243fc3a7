namespace Migration.Xen.Iommu;

/// <summary>When a caller changes the CPU's view (the P2M entry, the grant's host mapping, the page type) against its IOMMU calls.</summary>
public enum P2mUpdate
{
    /// <summary>Only when every IOMMU call succeeded: a failure leaves the P2M as it was (<c>goto destroy_m2p</c>, <c>undo_out</c>, an early return).</summary>
    OnSuccess,

    /// <summary>Before the IOMMU calls, whatever they do: the P2M entry is already written when the loop at the end of the function runs.</summary>
    First,
}
