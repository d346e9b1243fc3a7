namespace Migration.Xen.Policies;

/// <summary>
/// Turning mem_paging on for a domain (XEN_VM_EVENT_ENABLE on the paging ring, xen/common/vm_event.c):
/// refused with -EMLINK while the IOMMU is in use for the domain ("No paging if iommu is used"), and
/// with -EXDEV while populate-on-demand is active.
/// </summary>
public static class MemPagingRule
{
    public static Refusal? Check(DomainFacts domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.IommuInUse)
        {
            var why = domain.HasDevices ? $"{LogDirtyRule.Describe(domain.Devices)} assigned" : "the IOMMU is enabled for the domain (passthrough=)";
            return Refuse("mem-paging/iommu", "-EMLINK", why);
        }
        return domain.PopulateOnDemand ? Refuse("mem-paging/populate-on-demand", "-EXDEV", "populate-on-demand is active") : null;
    }

    private static Refusal Refuse(string rule, string error, string why) =>
        new(Refuser.Hypervisor, rule, error, $"enabling mem_paging refused: {why}", Waivable: false);
}
