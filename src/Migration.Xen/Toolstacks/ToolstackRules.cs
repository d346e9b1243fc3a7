using Migration.Xen.Policies;

namespace Migration.Xen.Toolstacks;

/// <summary>What a source toolstack checks itself before it starts a migration (XEN-FACTS.md, Toolstacks).</summary>
public static class ToolstackRules
{
    /// <param name="alreadyMigrating">Whether the domain is in a migration this toolstack started and has not finished.</param>
    public static Refusal? CheckSource(ToolstackKind kind, DomainFacts domain, bool alreadyMigrating = false)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.IsHardwareDomain)
            return ToolstackErrors.Refuse(Refuser.SourceToolstack, kind, "HARDWARE_DOMAIN", "the hardware domain cannot migrate", waivable: false);
        if (alreadyMigrating) return AlreadyMigrating(kind, domain.Name);
        return kind switch
        {
            // libxl has no passthrough check and, since 4.15, does not refuse nomigrate either.
            ToolstackKind.Xl => null,
            ToolstackKind.Xapi when domain.HasDevices => ToolstackErrors.Refuse(Refuser.SourceToolstack, kind, "VM_HAS_PCI_ATTACHED",
                $"XAPI refuses a VM with a PCI device attached ({LogDirtyRule.Describe(domain.Devices)})", waivable: true),
            ToolstackKind.Xapi when domain.Nomigrate => ToolstackErrors.Refuse(Refuser.SourceToolstack, kind, "VM_IS_IMMOBILE",
                "XAPI refuses a VM marked nomigrate", waivable: true),
            ToolstackKind.DeviceAware when domain.Devices.Any(d => d.CanDirtyUnseen) => ToolstackErrors.Refuse(Refuser.SourceToolstack, kind,
                "DEVICE_MAY_DIRTY_UNSEEN",
                $"{LogDirtyRule.Describe(domain.Devices.Where(d => d.CanDirtyUnseen))} could write memory by DMA unseen (bus-master on, not read-only, no emulator reporting)",
                waivable: true),
            ToolstackKind.DeviceAware when domain.Nomigrate => ToolstackErrors.Refuse(Refuser.SourceToolstack, kind, "NOMIGRATE",
                "the domain is marked nomigrate", waivable: true),
            _ => null,
        };
    }

    /// <summary>
    /// A migration asked for a domain already migrating. XAPI allows one operation per VM at a time
    /// and refuses the rest with OTHER_OPERATION_IN_PROGRESS; the device-aware toolstack, modelled on
    /// it, does the same. libxl takes no lock for a save, so under xl the second save gets as far as
    /// enabling log-dirty, which the hypervisor refuses with -EINVAL because the domain is already in
    /// log-dirty mode (<c>paging_log_dirty_enable()</c>, xen/arch/x86/mm/paging.c), surfacing as
    /// "Failed to enable logdirty". Neither is a policy: no counterfactual run waives it.
    /// </summary>
    /// <remarks>
    /// libxc's <c>enable_logdirty()</c> (tools/libs/guest/xg_sr_save.c) answers that -EINVAL by
    /// turning log-dirty off and on again, which would reset the first migration's bitmap; the
    /// simulation stops the second save at the refusal and does not model that retry.
    /// </remarks>
    public static Refusal AlreadyMigrating(ToolstackKind kind, string domain) => kind == ToolstackKind.Xl
        ? new Refusal(Refuser.Hypervisor, "log-dirty/already-enabled", LogDirtyRule.Error,
            $"enabling global log-dirty refused: domain {domain} is already in log-dirty mode for a migration in progress (libxl takes no lock, so the second save reached the hypervisor)",
            Waivable: false)
        : ToolstackErrors.Refuse(Refuser.SourceToolstack, kind, "OTHER_OPERATION_IN_PROGRESS",
            $"domain {domain} is already migrating; {(kind == ToolstackKind.Xapi ? "XAPI" : "the toolstack")} allows one operation on a VM at a time",
            waivable: false);
}
