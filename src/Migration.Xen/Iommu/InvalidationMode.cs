namespace Migration.Xen.Iommu;

/// <summary>
/// How the hypervisor waits for a Device-TLB (ATS) invalidation to complete before a page unmapped
/// from a device may be freed (seeds/004, seeds/001). <see cref="InvalidationModes"/> names each and
/// says where it comes from.
/// </summary>
public enum InvalidationMode
{
    /// <summary>Xen 4.16 and later (XSA-373): no timeout, the CPU spins until the device answers.</summary>
    Spin,

    /// <summary>Xen 4.8 to 4.15: spin up to <c>iommu_dev_iotlb_timeout</c> (1 s), then mark the device broken and crash the guest.</summary>
    Timeout,

    /// <summary>seeds/004's proposal: do not wait; hold the freed pages and keep the domain's vCPUs out of guest mode until the flush completes.</summary>
    AsyncHold,

    /// <summary>The tasklet idea seeds/001 rejected: free the pages at once and flush later (break-before-make broken).</summary>
    Deferred,
}
