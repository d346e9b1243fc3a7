namespace Migration.Xen.Iommu;

/// <summary>What an IOMMU does with a DMA transaction it cannot translate (seeds/001).</summary>
public enum TranslationFaultMode
{
    /// <summary>The transaction ends at once: a read returns zeros, a write is dropped (the IPMMU-VMSA: "faulting transactions are terminated by the hardware").</summary>
    Terminate,

    /// <summary>The transaction waits for the fault to be resolved (a mapping made, the TLB flushed); if it never is, the device stays stopped and faults again when retried.</summary>
    Stall,
}
