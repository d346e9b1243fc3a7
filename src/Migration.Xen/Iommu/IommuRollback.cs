namespace Migration.Xen.Iommu;

/// <summary>What a caller does after a page of its map loop failed (seeds/000, the per-caller table).</summary>
public enum IommuRollback
{
    /// <summary>Unmaps the pages this call already mapped, then returns the error (<c>memory_add()</c>, <c>guest_physmap_add_entry()</c>, Xen's <c>ept_set_entry()</c>).</summary>
    UnmapThisCall,

    /// <summary>Stops and returns the error, keeping what it mapped (the thread's "no-rollback, just erring" for items 9 to 11, and the identity mapping).</summary>
    StopAndKeep,

    /// <summary>Logs and goes on with the next page (<c>vtd_set_hwdom_mapping()</c> at boot).</summary>
    Continue,
}
