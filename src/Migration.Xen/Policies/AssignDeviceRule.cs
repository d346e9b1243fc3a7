namespace Migration.Xen.Policies;

/// <summary>
/// <c>assign_device()</c> under each policy (<c>arch_iommu_use_permitted()</c> today): refused with
/// -EXDEV when mem_sharing, mem_paging or populate-on-demand is active, or global log-dirty is on, the
/// last counted as the policy says; a broken device is refused with -EBADF.
/// </summary>
public static class AssignDeviceRule
{
    public static Refusal? Check(VetoPolicy policy, DomainFacts domain, DeviceFacts device)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(device);
        // A broken device is a fact about hardware, not a policy: no counterfactual waives it.
        if (device.Broken) return Refuse("assign/broken", "-EBADF", $"device {device.Bdf} is marked broken") with { Waivable = false };
        if (domain.MemSharing) return Refuse("assign/mem-sharing", "-EXDEV", "mem_sharing is enabled for the domain");
        if (domain.MemPaging) return Refuse("assign/mem-paging", "-EXDEV", "the domain has a mem_paging ring");
        if (domain.PopulateOnDemand) return Refuse("assign/populate-on-demand", "-EXDEV", "populate-on-demand is active");
        if (domain.GlobalLogDirty && LogDirtyCounts(policy, domain, device))
            return Refuse($"assign/log-dirty/{Names.Of(policy)}", "-EXDEV", "global log-dirty is on" + Qualifier(policy));
        return null;
    }

    /// <summary>Whether global log-dirty forbids this assignment under the policy: the mirror of <see cref="LogDirtyRule"/>.</summary>
    private static bool LogDirtyCounts(VetoPolicy policy, DomainFacts domain, DeviceFacts device) => policy switch
    {
        VetoPolicy.IommuEnabled or VetoPolicy.HasDevices => true,
        VetoPolicy.SharedPt => domain.SharedPageTables,
        VetoPolicy.BusMaster => domain.SharedPageTables && device.BusMaster,
        VetoPolicy.DeclaredReadOnly => !device.DeclaredReadOnly,
        VetoPolicy.ExternalDirty => device.CanDirtyUnseen,
        VetoPolicy.ToolstackDecides => false,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    private static string Qualifier(VetoPolicy policy) => policy switch
    {
        VetoPolicy.SharedPt => " and page tables are shared with the IOMMU",
        VetoPolicy.BusMaster => ", page tables are shared and the device has bus-master enable set",
        VetoPolicy.DeclaredReadOnly => " and the device is not declared read-only",
        VetoPolicy.ExternalDirty => " and the device can write by DMA with no emulator reporting dirty pages",
        _ => "",
    };

    private static Refusal Refuse(string rule, string error, string reason) =>
        new(Refuser.Hypervisor, rule, error, "assigning the device refused: " + reason);
}
