using Migration.Xen.PreCopy;

namespace Migration.Scenarios.Model;

/// <summary>
/// A whole scenario: hosts, the domains and devices on them, the network, the migrations to run and
/// the faults to inject and the events that happen during the run. Immutable and already validated (every name resolves, every size is
/// positive); built by <see cref="ScenarioLoader"/> from YAML or by a generator.
/// </summary>
public sealed record Scenario
{
    /// <summary>The scenario's name (the file name without extension for files, the built-in's name otherwise).</summary>
    public required string Name { get; init; }

    /// <summary>One line saying what the scenario isolates.</summary>
    public string Description { get; init; } = "";

    /// <summary>Where the argument comes from (a seed thread, a Xen commit), for `migration scenarios`.</summary>
    public string Origin { get; init; } = "";

    public required IReadOnlyList<HostSpec> Hosts { get; init; }

    /// <summary>Guest domains (the hardware domain of each host is implicit).</summary>
    public required IReadOnlyList<DomainSpec> Domains { get; init; }

    public IReadOnlyList<DeviceSpec> Devices { get; init; } = [];

    public NetworkSpec Network { get; init; } = new();

    /// <summary>Migrations in the order they were written (starting times may be in any order).</summary>
    public required IReadOnlyList<MigrationSpec> Migrations { get; init; }

    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];

    /// <summary>Failures injected into the IOMMU's map and unmap calls, or null: none (left out of the scenario's digest then, so results of scenarios without it keep their hashes).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IommuSpec? Iommu { get; init; }

    /// <summary>Things that happen during the run (hot-plug, mem_sharing on, ...), in the order written.</summary>
    public IReadOnlyList<EventSpec> Events { get; init; } = [];

    public PreCopyPolicyKind PreCopy { get; init; } = PreCopyPolicyKind.Xen;

    /// <summary>
    /// Whose rules reconcile mem_sharing with altp2m views (seeds/003): Xen's, or the v4 patch's; null:
    /// not written, Xen's (left out of the digest then).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Migration.Xen.Sharing.Altp2mSharingMode? Altp2m { get; init; }

    public int HostIndexOf(string hostName)
    {
        for (var i = 0; i < Hosts.Count; i++)
        {
            if (Hosts[i].Name == hostName) return i;
        }
        throw new KeyNotFoundException($"scenario {Name} has no host '{hostName}'");
    }
}
