using Migration.Xen.Dma;

namespace Migration.Scenarios.Model;

/// <summary>A PCI function on a host, passed through to a domain or free.</summary>
public sealed record DeviceSpec
{
    /// <summary>The BDF (for example <c>0000:03:00.0</c>); unique per host.</summary>
    public required string Bdf { get; init; }

    public required string Host { get; init; }

    /// <summary>The domain it is assigned to at the start, or null for a free device (the destination's spare).</summary>
    public string? Domain { get; init; }

    /// <summary>Bus-master enable in the device's command register: without it the device cannot DMA.</summary>
    public bool BusMaster { get; init; } = true;

    public DmaPattern Dma { get; init; } = DmaPattern.None;

    /// <summary>DMA transactions (one page each) per second.</summary>
    public double DmaPerSecond { get; init; }

    /// <summary>The share of <see cref="DmaPattern.ReadWrite"/> transactions that write, in [0, 1]. Default 0.5.</summary>
    public double WriteShare { get; init; } = 0.5;

    /// <summary>Pages of the domain the device's DMA buffers cover (a ring at a seeded place). Default 256 (1 MiB).</summary>
    public int BufferPages { get; init; } = 256;

    /// <summary>The toolstack has told Xen this device only reads by DMA (option 3); may be a lie.</summary>
    public bool DeclaredReadOnly { get; init; }

    /// <summary>The device's emulator reports the pages it dirties to the toolstack.</summary>
    public bool EmulatorReportsDirty { get; init; }

    /// <summary>Marked broken (a Device-TLB flush timed out): assign_device refuses it with -EBADF.</summary>
    public bool Broken { get; init; }

    /// <summary>
    /// The device caches translations in a Device-TLB of its own (PCIe ATS): every unmap from its
    /// domain waits for it to complete an invalidation (seeds/004). Left out of the scenario's digest when false.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Ats { get; init; }

    /// <summary>
    /// Pages of the device's reserved memory region (an RMRR), identity-mapped into its domain's IOMMU
    /// whenever it is assigned (<c>set_identity_p2m_entry()</c>, seeds/000 item 7); 0: none. Left out of the digest when 0.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int RmrrPages { get; init; }

    /// <summary>How long the device takes to complete a Device-TLB invalidation (0 to the ATS limit of 60 s). Left out of the digest when 0.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public TimeSpan FlushLatency { get; init; }
}
