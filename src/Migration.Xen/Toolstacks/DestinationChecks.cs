namespace Migration.Xen.Toolstacks;

/// <summary>
/// What the destination toolstack checks before it reserves: capacity, TSC compatibility (a guest
/// relying on invariant TSC needs TSC scaling or the same frequency) and device availability.
/// These are physical limits, not policy: a counterfactual run never waives them.
/// </summary>
public static class DestinationChecks
{
    public static Refusal? Check(DestinationOffer offer, long memoryBytes, TscMode tsc, long sourceTscKhz, int devicesNeeded)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (memoryBytes > offer.FreeMemoryBytes)
            return Refuse("INSUFFICIENT_MEMORY", $"needs {memoryBytes / (1 << 20):N0} MiB, the destination has {offer.FreeMemoryBytes / (1 << 20):N0} MiB free");
        if (tsc == TscMode.Invariant && !offer.TscScaling && offer.TscKhz != sourceTscKhz)
            return Refuse("TSC_INCOMPATIBLE",
                $"the guest relies on an invariant TSC at {sourceTscKhz:N0} kHz; the destination runs at {offer.TscKhz:N0} kHz without TSC scaling");
        if (devicesNeeded > offer.FreeDevices)
            return Refuse("NO_EQUIVALENT_DEVICE", $"needs {devicesNeeded} free passthrough device(s), the destination has {offer.FreeDevices}");
        return null;
    }

    private static Refusal Refuse(string rule, string reason) =>
        new(Refuser.DestinationToolstack, rule, "refused", reason, Waivable: false);
}
