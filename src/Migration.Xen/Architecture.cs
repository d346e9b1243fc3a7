namespace Migration.Xen;

/// <summary>
/// The CPU architecture a host's IOMMU vendor implies: Intel and AMD hosts are x86, Arm hosts Arm.
/// Several of Xen's rules are x86 code (the TSC, mem_sharing, mem_paging, populate-on-demand,
/// <c>arch_iommu_use_permitted()</c>'s vetoes), and a domain never moves between the two.
/// </summary>
public static class Architecture
{
    public static bool IsArm(IommuVendor vendor) => vendor == IommuVendor.Arm;

    /// <summary><c>x86</c> or <c>Arm</c>, for messages.</summary>
    public static string NameOf(IommuVendor vendor) => IsArm(vendor) ? "Arm" : "x86";
}
