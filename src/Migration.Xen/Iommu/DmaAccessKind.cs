namespace Migration.Xen.Iommu;

/// <summary>How one DMA transaction through an IOMMU ended.</summary>
public enum DmaAccessKind
{
    /// <summary>Translated to a frame the domain owns.</summary>
    Translated,

    /// <summary>Translated, through a stale cached translation, to a frame the domain no longer owns: a security violation.</summary>
    Violation,

    /// <summary>No translation: terminated (reads as zeros, the write dropped).</summary>
    FaultTerminated,

    /// <summary>No translation: stalled until the fault is resolved.</summary>
    FaultStalled,
}
