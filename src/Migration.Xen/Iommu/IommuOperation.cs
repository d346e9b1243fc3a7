namespace Migration.Xen.Iommu;

/// <summary>What a caller asks of the IOMMU for each page: <c>iommu_map_page()</c> or <c>iommu_unmap_page()</c>.</summary>
public enum IommuOperation
{
    Map,
    Unmap,
}
