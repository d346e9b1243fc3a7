namespace Migration.Xen.Policies;

/// <summary>
/// <c>assign_device()</c> (xen/drivers/passthrough/pci.c) under each policy. From 4.13 a domain whose
/// IOMMU was not enabled at creation cannot take a device (<c>iommu_do_domctl()</c>: -EOPNOTSUPP). On x86,
/// <c>arch_iommu_use_permitted()</c> (xen/drivers/passthrough/x86/iommu.c) refuses with -EXDEV when
/// mem_sharing, mem_paging or populate-on-demand is active, or global log-dirty is on (counted as the
/// policy says); on Arm it always permits. Only then is a broken device refused with -EBADF, as
/// assign_device() checks in that order. A device already assigned to a domain is refused with
/// -EBUSY by <c>device_assigned()</c> before any of these (<see cref="Busy"/>).
/// </summary>
public static class AssignDeviceRule
{
    public const string Error = "-EXDEV";

    public static Refusal? Check(VetoPolicy policy, DomainFacts domain, DeviceFacts device)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(device);
        if (domain.IommuLifetime == IommuLifetime.Domain && !domain.IommuEnabled)
        {
            return Refuse("assign/no-iommu", "-EOPNOTSUPP", "the IOMMU was not enabled for the domain when it was created (no device, no passthrough=)")
                with { Waivable = false };
        }
        if (!Architecture.IsArm(domain.Vendor) && ArchRefusal(policy, domain, device) is { } refusal) return refusal;
        // A broken device is a fact about hardware, not a policy: no counterfactual waives it.
        if (device.Broken) return Refuse("assign/broken", "-EBADF", $"device {device.Bdf} is marked broken") with { Waivable = false };
        return null;
    }

    /// <summary><c>device_assigned()</c>: the device belongs to a domain already, so XEN_DOMCTL_assign_device fails with -EBUSY.</summary>
    public static Refusal Busy(string bdf, string owner) =>
        Refuse("assign/busy", "-EBUSY", $"device {bdf} is assigned to domain {owner}") with { Waivable = false };

    /// <summary><c>arch_iommu_use_permitted()</c> on x86, with the policy's reading of global log-dirty.</summary>
    private static Refusal? ArchRefusal(VetoPolicy policy, DomainFacts domain, DeviceFacts device)
    {
        if (domain.MemSharing) return Refuse("assign/mem-sharing", Error, "mem_sharing is enabled for the domain");
        if (domain.MemPaging) return Refuse("assign/mem-paging", Error, "the domain has a mem_paging ring");
        if (domain.PopulateOnDemand) return Refuse("assign/populate-on-demand", Error, "populate-on-demand is active");
        if (domain.GlobalLogDirty && LogDirtyCounts(policy, domain, device))
            return Refuse($"assign/log-dirty/{Names.Of(policy)}", Error, "global log-dirty is on" + Qualifier(policy));
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
