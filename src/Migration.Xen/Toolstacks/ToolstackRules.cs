using Migration.Xen.Policies;

namespace Migration.Xen.Toolstacks;

/// <summary>What a source toolstack checks itself before it starts a migration (XEN-FACTS.md, Toolstacks).</summary>
public static class ToolstackRules
{
    public static Refusal? CheckSource(ToolstackKind kind, DomainFacts domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.IsHardwareDomain)
            return new Refusal(Refuser.SourceToolstack, "HARDWARE_DOMAIN", "refused", "the hardware domain cannot migrate", Waivable: false);
        return kind switch
        {
            // libxl has no passthrough check and, since 4.15, does not refuse nomigrate either.
            ToolstackKind.Xl => null,
            ToolstackKind.Xapi when domain.HasDevices => new Refusal(Refuser.SourceToolstack, "VM_HAS_PCI_ATTACHED", "refused",
                $"XAPI refuses a VM with a PCI device attached ({LogDirtyRule.Describe(domain.Devices)})"),
            ToolstackKind.Xapi when domain.Nomigrate => new Refusal(Refuser.SourceToolstack, "VM_IS_IMMOBILE", "refused",
                "XAPI refuses a VM marked nomigrate"),
            ToolstackKind.DeviceAware when domain.Devices.Any(d => d.CanDirtyUnseen) => new Refusal(Refuser.SourceToolstack,
                "DEVICE_MAY_DIRTY_UNSEEN", "refused",
                $"{LogDirtyRule.Describe(domain.Devices.Where(d => d.CanDirtyUnseen))} could write memory by DMA unseen (bus-master on, not read-only, no emulator reporting)"),
            ToolstackKind.DeviceAware when domain.Nomigrate => new Refusal(Refuser.SourceToolstack, "NOMIGRATE", "refused",
                "the domain is marked nomigrate"),
            _ => null,
        };
    }
}
