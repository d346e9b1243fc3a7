using Migration.Xen;

namespace Migration.Scenarios.Model;

/// <summary>A guest domain as it starts: where it runs, its memory and workload, and the flags the veto rules read.</summary>
public sealed record DomainSpec
{
    public required string Name { get; init; }

    /// <summary>The host it starts on.</summary>
    public required string Host { get; init; }

    public required long MemoryBytes { get; init; }

    public int Vcpus { get; init; } = 1;

    public WorkloadSpec Workload { get; init; } = new();

    /// <summary>What its grants and balloon ask of the IOMMU while it migrates, or null: nothing (left out of the scenario's digest then, so results of scenarios without it keep their hashes).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IoSpec? Io { get; init; }

    /// <summary>IOMMU enabled for the domain (xl.cfg <c>passthrough=</c>), even with no device; implied by an assigned device.</summary>
    public bool IommuEnabled { get; init; }

    /// <summary>xl.cfg <c>passthrough=sync_pt</c>: never share page tables with the IOMMU, whatever the host allows.</summary>
    public bool SyncPageTables { get; init; }

    public bool MemSharing { get; init; }

    public bool MemPaging { get; init; }

    /// <summary>Populate-on-demand active (memory below maxmem at boot).</summary>
    public bool PopulateOnDemand { get; init; }

    /// <summary>xl.cfg <c>nomigrate</c>: exposes invariant TSC; XAPI calls such a VM immobile.</summary>
    public bool Nomigrate { get; init; }

    public TscMode Tsc { get; init; } = TscMode.Default;
}
