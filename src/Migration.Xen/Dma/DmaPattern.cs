namespace Migration.Xen.Dma;

/// <summary>What a device does by DMA to its domain's memory.</summary>
public enum DmaPattern
{
    None,
    ReadOnly,
    ReadWrite,
}
