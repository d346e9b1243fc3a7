namespace Migration.Xen.Toolstacks;

/// <summary>
/// What the destination toolstack checks before it reserves: capacity, TSC compatibility and device
/// availability. These are physical limits, not policy: a counterfactual run never waives them.
/// </summary>
public static class DestinationChecks
{
    /// <param name="kind">The destination's toolstack, which names the error.</param>
    /// <param name="tsc">The TSC the guest relies on, after <see cref="TscRules.Effective"/>.</param>
    public static Refusal? Check(ToolstackKind kind, DestinationOffer offer, long memoryBytes, TscMode tsc, long sourceTscKhz, int devicesNeeded)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (memoryBytes > offer.FreeMemoryBytes)
            return Refuse(kind, "INSUFFICIENT_MEMORY", $"needs {memoryBytes / (1 << 20):N0} MiB, the destination has {offer.FreeMemoryBytes / (1 << 20):N0} MiB free");
        if (!TscRules.NativeOnDestination(tsc, offer.TscScaling, offer.TscKhz, sourceTscKhz))
            return Refuse(kind, "TSC_INCOMPATIBLE",
                $"the guest relies on an invariant TSC at {sourceTscKhz:N0} kHz; the destination runs at {offer.TscKhz:N0} kHz without TSC scaling");
        if (devicesNeeded > offer.FreeDevices)
            return Refuse(kind, "NO_EQUIVALENT_DEVICE", $"needs {devicesNeeded} free passthrough device(s), the destination has {offer.FreeDevices}");
        return null;
    }

    private static Refusal Refuse(ToolstackKind kind, string rule, string reason) =>
        ToolstackErrors.Refuse(Refuser.DestinationToolstack, kind, rule, reason, waivable: false);
}
