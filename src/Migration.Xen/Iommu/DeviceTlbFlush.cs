namespace Migration.Xen.Iommu;

/// <summary>
/// A Device-TLB flush under each <see cref="InvalidationMode"/>, computed from how long the device
/// takes to complete it: nothing is stepped, so a minute-long flush costs what a fast one does.
/// </summary>
public static class DeviceTlbFlush
{
    /// <param name="mode">How the hypervisor waits.</param>
    /// <param name="latency">How long the device takes to complete the flush (0 to the ATS limit of 60 s).</param>
    /// <param name="hardwareDomain">The device belongs to the hardware domain, which is never crashed.</param>
    /// <param name="vcpus">The domain's vCPUs (1 or more), each kept out of guest mode under async-hold.</param>
    public static FlushOutcome Of(InvalidationMode mode, TimeSpan latency, bool hardwareDomain, int vcpus)
    {
        if (latency < TimeSpan.Zero || latency > InvalidationModes.AtsFlushMax)
            throw new ArgumentOutOfRangeException(nameof(latency), latency, $"a device completes a flush within 0 to {InvalidationModes.AtsFlushMax.TotalSeconds} s (the ATS limit)");
        ArgumentOutOfRangeException.ThrowIfLessThan(vcpus, 1);
        return mode switch
        {
            InvalidationMode.Spin => Spun(latency),
            // Past the timeout the device is hidden (ATS off, taken from the domain): no DMA reaches the pages, so they may go.
            InvalidationMode.Timeout when latency > InvalidationModes.DeviceTlbTimeout =>
                new FlushOutcome(InvalidationModes.DeviceTlbTimeout, InvalidationModes.DeviceTlbTimeout, TimeSpan.Zero, DeviceBroken: true, GuestCrashed: !hardwareDomain, TimeSpan.Zero),
            InvalidationMode.Timeout => Spun(latency),
            InvalidationMode.AsyncHold => new FlushOutcome(TimeSpan.Zero, latency, latency * vcpus, DeviceBroken: false, GuestCrashed: false, TimeSpan.Zero),
            InvalidationMode.Deferred => new FlushOutcome(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, DeviceBroken: false, GuestCrashed: false, latency),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not an invalidation mode"),
        };
    }

    private static FlushOutcome Spun(TimeSpan latency) => new(latency, latency, TimeSpan.Zero, DeviceBroken: false, GuestCrashed: false, TimeSpan.Zero);
}
