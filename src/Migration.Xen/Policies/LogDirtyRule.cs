namespace Migration.Xen.Policies;

/// <summary>
/// <c>paging_log_dirty_enable()</c> for global log-dirty under each policy: null when enabling is
/// allowed, otherwise the -EINVAL refusal with the rule that fired.
/// </summary>
public static class LogDirtyRule
{
    public const string Error = "-EINVAL";

    public static Refusal? Check(VetoPolicy policy, DomainFacts domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return policy switch
        {
            VetoPolicy.IommuEnabled when domain.IommuInUse =>
                Refuse(policy, "the IOMMU is enabled for the domain (is_iommu_enabled), even though "
                    + (domain.HasDevices ? $"{domain.Devices.Count} device(s) are assigned" : "no device is assigned")),
            VetoPolicy.HasDevices when domain.HasDevices =>
                Refuse(policy, $"{Describe(domain.Devices)} assigned (has_arch_pdevs)"),
            VetoPolicy.SharedPt when domain.HasDevices && domain.SharedPageTables =>
                Refuse(policy, $"{Describe(domain.Devices)} assigned and page tables are shared with the IOMMU (iommu_use_hap_pt)"),
            VetoPolicy.BusMaster when domain.SharedPageTables && domain.Devices.Any(d => d.BusMaster) =>
                Refuse(policy, $"{Describe(domain.Devices.Where(d => d.BusMaster))} with bus-master enable set, page tables shared with the IOMMU"),
            VetoPolicy.DeclaredReadOnly when domain.Devices.Any(d => !d.DeclaredReadOnly) =>
                Refuse(policy, $"{Describe(domain.Devices.Where(d => !d.DeclaredReadOnly))} not declared read-only"),
            VetoPolicy.ExternalDirty when domain.Devices.Any(d => d.CanDirtyUnseen) =>
                Refuse(policy, $"{Describe(domain.Devices.Where(d => d.CanDirtyUnseen))} can write by DMA with no emulator reporting dirty pages"),
            _ => null,
        };
    }

    private static Refusal Refuse(VetoPolicy policy, string reason) =>
        new(Refuser.Hypervisor, $"log-dirty/{Names.Of(policy)}", Error, "enabling global log-dirty refused: " + reason);

    internal static string Describe(IEnumerable<DeviceFacts> devices)
    {
        var bdfs = devices.Select(d => d.Bdf).ToArray();
        return bdfs.Length == 1 ? $"device {bdfs[0]}" : $"devices {string.Join(", ", bdfs)}";
    }
}
