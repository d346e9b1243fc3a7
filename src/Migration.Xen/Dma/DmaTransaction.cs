namespace Migration.Xen.Dma;

/// <summary>One DMA transaction of one page, at a virtual time.</summary>
public readonly record struct DmaTransaction(long Page, long Ticks, bool Write);
