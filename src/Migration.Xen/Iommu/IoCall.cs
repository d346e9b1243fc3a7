namespace Migration.Xen.Iommu;

/// <summary>One page call a migrating domain's I/O makes of the IOMMU: its number (from 1), when, by which caller, on whose context.</summary>
/// <param name="Number">The domain's how-manieth call (its backend's and its balloon's together, in time order).</param>
/// <param name="Ticks">When it is made (virtual ticks).</param>
/// <param name="Caller">The caller making it.</param>
/// <param name="Operation">Map or unmap.</param>
/// <param name="OnHardwareDomain">Made on the hardware domain's context (a backend's grant), not the domain's own (its balloon).</param>
/// <param name="Op">The grant or balloon operation it belongs to (from 1, per kind): which page it touches.</param>
public readonly record struct IoCall(long Number, long Ticks, IommuCaller Caller, IommuOperation Operation, bool OnHardwareDomain, long Op);
