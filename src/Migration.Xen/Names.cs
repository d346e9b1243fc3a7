using Migration.Xen.Dma;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Xen;

/// <summary>
/// The names people type and read for the model's enumerations (kebab case: <c>has-devices</c>,
/// <c>device-aware</c>), one table per type so parsing and printing cannot disagree.
/// </summary>
public static class Names
{
    private static readonly (VetoPolicy Value, string Name)[] Policies =
    [
        (VetoPolicy.IommuEnabled, "iommu-enabled"), (VetoPolicy.HasDevices, "has-devices"), (VetoPolicy.SharedPt, "shared-pt"),
        (VetoPolicy.BusMaster, "bus-master"), (VetoPolicy.DeclaredReadOnly, "declared-read-only"),
        (VetoPolicy.ExternalDirty, "external-dirty"), (VetoPolicy.ToolstackDecides, "toolstack-decides"),
    ];

    private static readonly (ToolstackKind Value, string Name)[] Toolstacks =
        [(ToolstackKind.Xl, "xl"), (ToolstackKind.Xapi, "xapi"), (ToolstackKind.DeviceAware, "device-aware")];

    private static readonly (IommuVendor Value, string Name)[] Vendors =
        [(IommuVendor.Intel, "intel"), (IommuVendor.Amd, "amd"), (IommuVendor.Arm, "arm")];

    private static readonly (IommuLifetime Value, string Name)[] Lifetimes =
        [(IommuLifetime.Domain, "domain"), (IommuLifetime.Assignment, "assignment")];

    private static readonly (TscMode Value, string Name)[] TscModes =
        [(TscMode.Default, "default"), (TscMode.Emulated, "emulated"), (TscMode.Invariant, "invariant")];

    private static readonly (DmaPattern Value, string Name)[] DmaPatterns =
        [(DmaPattern.None, "none"), (DmaPattern.ReadOnly, "read-only"), (DmaPattern.ReadWrite, "read-write")];

    private static readonly (PreCopyPolicyKind Value, string Name)[] PreCopyPolicies =
        [(PreCopyPolicyKind.Xen, "xen"), (PreCopyPolicyKind.Pre46, "pre-4.6")];

    // These modes' names live with their origins (ModeInfo tables), one table for both, as the invalidation modes' do.
    private static readonly (Sharing.Altp2mSharingMode Value, string Name)[] Altp2mModes = Table(Sharing.Altp2mSharingModes.All);

    private static readonly (Iommu.SetEntryRollback Value, string Name)[] SetEntryRollbacks = Table(Iommu.SetEntryRollbacks.All);

    // xen-access's letters for p2m_access_t (XENMEM_access_rwx, _rx, _r, _n).
    private static readonly (Sharing.PageAccess Value, string Name)[] Accesses =
    [
        (Sharing.PageAccess.ReadWriteExecute, "rwx"), (Sharing.PageAccess.ReadExecute, "rx"), (Sharing.PageAccess.Read, "r"),
        (Sharing.PageAccess.None, "n"),
    ];

    public static IReadOnlyList<string> AllPolicies { get; } = Policies.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllToolstacks { get; } = Toolstacks.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllVendors { get; } = Vendors.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllIommuLifetimes { get; } = Lifetimes.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllTscModes { get; } = TscModes.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllDmaPatterns { get; } = DmaPatterns.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllPreCopyPolicies { get; } = PreCopyPolicies.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllAltp2mModes { get; } = Altp2mModes.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllAccesses { get; } = Accesses.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllSetEntryRollbacks { get; } = SetEntryRollbacks.Select(p => p.Name).ToArray();
    public static IReadOnlyList<string> AllInvalidationModes { get; } = Iommu.InvalidationModes.All.Select(m => m.Name).ToArray();

    public static string Of(VetoPolicy value) => Find(Policies, value);
    public static string Of(ToolstackKind value) => Find(Toolstacks, value);
    public static string Of(IommuVendor value) => Find(Vendors, value);
    public static string Of(TscMode value) => Find(TscModes, value);
    public static string Of(IommuLifetime value) => Find(Lifetimes, value);
    public static string Of(DmaPattern value) => Find(DmaPatterns, value);
    public static string Of(PreCopyPolicyKind value) => Find(PreCopyPolicies, value);
    public static string Of(Sharing.Altp2mSharingMode value) => Find(Altp2mModes, value);
    public static string Of(Sharing.PageAccess value) => Find(Accesses, value);
    public static string Of(Iommu.SetEntryRollback value) => Find(SetEntryRollbacks, value);

    public static bool TryParse(string? name, out VetoPolicy value) => TryFind(Policies, name, out value);
    public static bool TryParse(string? name, out ToolstackKind value) => TryFind(Toolstacks, name, out value);
    public static bool TryParse(string? name, out IommuVendor value) => TryFind(Vendors, name, out value);
    public static bool TryParse(string? name, out TscMode value) => TryFind(TscModes, name, out value);
    public static bool TryParse(string? name, out IommuLifetime value) => TryFind(Lifetimes, name, out value);
    public static bool TryParse(string? name, out DmaPattern value) => TryFind(DmaPatterns, name, out value);
    public static bool TryParse(string? name, out PreCopyPolicyKind value) => TryFind(PreCopyPolicies, name, out value);
    public static bool TryParse(string? name, out Sharing.Altp2mSharingMode value) => TryFind(Altp2mModes, name, out value);
    public static bool TryParse(string? name, out Sharing.PageAccess value) => TryFind(Accesses, name, out value);
    public static bool TryParse(string? name, out Iommu.SetEntryRollback value) => TryFind(SetEntryRollbacks, name, out value);

    // The invalidation modes' names live with their origins (InvalidationModes), the one table for both.
    public static string Of(Iommu.InvalidationMode value) => Iommu.InvalidationModes.Of(value).Name;

    public static bool TryParse(string? name, out Iommu.InvalidationMode value)
    {
        var parsed = name is null ? null : Iommu.InvalidationModes.Parse(name);
        value = parsed ?? default;
        return parsed is not null;
    }

    private static (T Value, string Name)[] Table<T>(IReadOnlyList<ModeInfo<T>> modes) where T : struct, Enum =>
        modes.Select(m => (m.Mode, m.Name)).ToArray();

    private static string Find<T>((T Value, string Name)[] table, T value) where T : struct, Enum
    {
        foreach (var (candidate, name) in table)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value)) return name;
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"no name for {typeof(T).Name}.{value}");
    }

    private static bool TryFind<T>((T Value, string Name)[] table, string? name, out T value) where T : struct, Enum
    {
        foreach (var (candidate, candidateName) in table)
        {
            if (string.Equals(candidateName, name, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
