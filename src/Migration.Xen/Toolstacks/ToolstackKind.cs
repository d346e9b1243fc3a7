namespace Migration.Xen.Toolstacks;

/// <summary>The toolstack a host runs, which decides what it checks itself before migrating.</summary>
public enum ToolstackKind
{
    /// <summary>libxl: no check of its own; the hypervisor's refusal surfaces as "Failed to enable logdirty".</summary>
    Xl,

    /// <summary>XAPI: refuses a VM with a PCI device attached (VM_HAS_PCI_ATTACHED) or marked nomigrate (VM_IS_IMMOBILE).</summary>
    Xapi,

    /// <summary>The thread's end point: allows a device only when it cannot dirty memory unseen.</summary>
    DeviceAware,
}
