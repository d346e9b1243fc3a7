namespace Migration.Xen.Iommu;

/// <summary>One row of seeds/000's table: a caller of the IOMMU and what it does when a page fails.</summary>
/// <param name="Caller">Which caller.</param>
/// <param name="Function">Its name in Xen's source.</param>
/// <param name="ThreadItem">Its number in the thread (1 to 11).</param>
/// <param name="Operations">What it may ask for each page.</param>
/// <param name="MapRollback">What its map loop does after a failure (an unmap loop follows iommu.c's rule: a guest's stops, the hardware domain's goes on).</param>
/// <param name="P2m">When it changes the CPU's view against its IOMMU calls.</param>
/// <param name="HardwareDomainOnly">Only the hardware domain calls it (memory hot-add, the boot mappings).</param>
/// <param name="AtRunTime">A simulated host exercises it while domains run (the boot mappings and PV page types it does not).</param>
/// <param name="Error">What the caller returns when a page failed.</param>
public sealed record IommuCallerRule(
    IommuCaller Caller,
    string Function,
    int ThreadItem,
    IReadOnlyList<IommuOperation> Operations,
    IommuRollback MapRollback,
    P2mUpdate P2m,
    bool HardwareDomainOnly,
    bool AtRunTime,
    string Error);
