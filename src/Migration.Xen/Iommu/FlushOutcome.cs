namespace Migration.Xen.Iommu;

/// <summary>What one Device-TLB flush, issued as pages are unmapped from a device, costs and risks under a mode.</summary>
/// <param name="CpuSpin">CPU time spent spinning on the flush.</param>
/// <param name="PagesFreedAfter">How long after the unmap the pages may be reused.</param>
/// <param name="VcpusBlocked">vCPU time kept out of guest mode (summed over the domain's vCPUs).</param>
/// <param name="DeviceBroken">The flush timed out: the device is taken away and marked broken.</param>
/// <param name="GuestCrashed">The flush timed out on a guest's device: the guest is crashed.</param>
/// <param name="StaleWindow">How long after the pages were freed the device could still reach them through its Device-TLB (zero: never).</param>
public sealed record FlushOutcome(TimeSpan CpuSpin, TimeSpan PagesFreedAfter, TimeSpan VcpusBlocked, bool DeviceBroken, bool GuestCrashed, TimeSpan StaleWindow);
