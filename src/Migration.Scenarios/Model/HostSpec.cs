using Migration.Xen;
using Migration.Xen.Toolstacks;

namespace Migration.Scenarios.Model;

/// <summary>A physical host: its IOMMU, TSC, memory and toolstack.</summary>
public sealed record HostSpec
{
    public required string Name { get; init; }

    public IommuVendor IommuVendor { get; init; } = IommuVendor.Intel;

    /// <summary>Xen's <c>iommu=sharept</c> (default on): page tables shared with the P2M where the vendor allows it.</summary>
    public bool SharedPageTables { get; init; } = true;

    /// <summary>Whether the CPU can scale the TSC (needed to take a guest relying on invariant TSC from another frequency).</summary>
    public bool TscScaling { get; init; } = true;

    public long TscKhz { get; init; } = 2_400_000;

    /// <summary>Memory available to guests, in bytes.</summary>
    public required long MemoryBytes { get; init; }

    public ToolstackKind Toolstack { get; init; } = ToolstackKind.Xl;

    /// <summary>When a domain's IOMMU context exists: per domain from creation (4.13 and later, the default) or while a device is assigned (4.5 to 4.12).</summary>
    public IommuLifetime IommuLifetime { get; init; } = IommuLifetime.Domain;

    /// <summary>
    /// Physical CPUs for guests' vCPUs; null: as many as they want. When a host's running vCPUs
    /// outnumber them, every vCPU gets an equal share, and a domain dirties memory in proportion.
    /// </summary>
    public int? Cpus { get; init; }

    /// <summary>This host's link, bytes per second each way; null: the network's.</summary>
    public double? LinkBytesPerSecond { get; init; }
}
