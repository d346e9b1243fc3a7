using System.Globalization;
using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Dma;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Scenarios.Loading;

/// <summary>The scalar types of a scenario file other than the quantities in <see cref="Units"/>.</summary>
internal static class ScalarParsers
{
    private delegate bool NameParser<T>(string? name, out T value);

    private static readonly (FaultKind Value, string Name)[] FaultKindNames =
        [(FaultKind.LinkDown, "link-down"), (FaultKind.HostCrash, "host-crash")];

    // xl.cfg's passthrough= values that matter here, to SyncPageTables.
    private static readonly (bool Value, string Name)[] PassthroughNames = [(false, "share_pt"), (true, "sync_pt")];

    public static ScalarParser<IommuVendor> Vendor { get; } = Named<IommuVendor>(Names.TryParse, Names.AllVendors, "an IOMMU vendor");

    public static ScalarParser<ToolstackKind> Toolstack { get; } = Named<ToolstackKind>(Names.TryParse, Names.AllToolstacks, "a toolstack");

    public static ScalarParser<IommuLifetime> IommuLifetime { get; } =
        Named<IommuLifetime>(Names.TryParse, Names.AllIommuLifetimes, "an IOMMU lifetime");

    public static ScalarParser<TscMode> Tsc { get; } = Named<TscMode>(Names.TryParse, Names.AllTscModes, "a TSC mode");

    public static ScalarParser<DmaPattern> Dma { get; } = Named<DmaPattern>(Names.TryParse, Names.AllDmaPatterns, "a DMA pattern");

    public static ScalarParser<PreCopyPolicyKind> PreCopy { get; } =
        Named<PreCopyPolicyKind>(Names.TryParse, Names.AllPreCopyPolicies, "a pre-copy policy");

    public static ScalarParser<Migration.Xen.Iommu.InvalidationMode> Invalidation { get; } =
        Named<Migration.Xen.Iommu.InvalidationMode>(Names.TryParse, Names.AllInvalidationModes, "an invalidation mode");

    public static readonly (Migration.Xen.Iommu.TranslationFaultMode Value, string Name)[] TranslationFaultNames =
        [(Migration.Xen.Iommu.TranslationFaultMode.Terminate, "terminate"), (Migration.Xen.Iommu.TranslationFaultMode.Stall, "stall")];

    public static ScalarParser<Migration.Xen.Sharing.Altp2mSharingMode> Altp2m { get; } =
        Named<Migration.Xen.Sharing.Altp2mSharingMode>(Names.TryParse, Names.AllAltp2mModes, "an altp2m sharing mode");

    public static ScalarParser<Migration.Xen.Iommu.SetEntryRollback> SetEntryRollback { get; } =
        Named<Migration.Xen.Iommu.SetEntryRollback>(Names.TryParse, Names.AllSetEntryRollbacks, "a set_entry rollback");

    public static ScalarParser<Migration.Xen.Sharing.PageAccess> Access { get; } =
        Named<Migration.Xen.Sharing.PageAccess>(Names.TryParse, Names.AllAccesses, "a page access");

    /// <summary>A guest frame number: hexadecimal with 0x (<c>0x1f0</c>) or decimal, 0 or more.</summary>
    public static ScalarParser<long> Gfn { get; } = TryGfn;

    public static ScalarParser<Migration.Xen.Iommu.TranslationFaultMode> TranslationFaults { get; } = FromTable(TranslationFaultNames, "a translation-fault mode");

    public static ScalarParser<FaultKind> Fault { get; } = FromTable(FaultKindNames, "a fault kind");

    public static ScalarParser<EventKind> Event { get; } = FromTable(EventKindNames.All.ToArray(), "an event kind");

    public static ScalarParser<bool> SyncPageTables { get; } = FromTable(PassthroughNames, "a passthrough mode");

    public static readonly (LinkSharing Value, string Name)[] LinkSharingNames = [(LinkSharing.Fair, "fair"), (LinkSharing.None, "none")];

    public static ScalarParser<LinkSharing> Sharing { get; } = FromTable(LinkSharingNames, "a link sharing");

    /// <summary>Any text, as written.</summary>
    public static ScalarParser<string> Text { get; } = TryText;

    /// <summary>true or false (also capitalised); not YAML 1.1's yes/no/on/off.</summary>
    public static ScalarParser<bool> Bool { get; } = TryBool;

    public static ScalarParser<int> Int { get; } = TryInt;

    public static ScalarParser<long> Long { get; } = TryLong;

    /// <summary>A plain finite number, such as <c>3.125</c>.</summary>
    public static ScalarParser<double> Number { get; } = TryNumber;

    /// <summary>One of <paramref name="names"/>, as written.</summary>
    public static ScalarParser<string> OneOf(IReadOnlyList<string> names, string what) =>
        Named((string? name, out string value) =>
        {
            value = name ?? "";
            return names.Contains(name, StringComparer.Ordinal);
        }, names, what);

    public static string NameOf(FaultKind kind) => FaultKindNames.First(k => k.Value == kind).Name;

    public static string NameOf(EventKind kind) => EventKindNames.Of(kind);

    private static bool TryText(string text, out string value, out string error)
    {
        value = text;
        error = "";
        return true;
    }

    private static bool TryBool(string text, out bool value, out string error)
    {
        error = "";
        value = text is "true" or "True" or "TRUE";
        if (value || text is "false" or "False" or "FALSE") return true;
        error = $"'{text}' is not a boolean (write true or false)";
        return false;
    }

    private static bool TryInt(string text, out int value, out string error)
    {
        error = "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return true;
        error = $"'{text}' is not a whole number";
        return false;
    }

    private static bool TryGfn(string text, out long value, out string error)
    {
        error = "";
        var parsed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (parsed && value >= 0) return true;
        error = $"'{text}' is not a gfn (a page number, 0 or more: 0x1f0 or 496)";
        return false;
    }

    private static bool TryLong(string text, out long value, out string error)
    {
        error = "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return true;
        error = $"'{text}' is not a whole number";
        return false;
    }

    private static bool TryNumber(string text, out double value, out string error)
    {
        error = "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)) return true;
        error = $"'{text}' is not a finite number";
        return false;
    }

    private static ScalarParser<T> Named<T>(NameParser<T> parse, IReadOnlyList<string> names, string what) =>
        (string text, out T value, out string error) =>
        {
            error = "";
            if (parse(text, out value)) return true;
            error = $"'{text}' is not {what} (valid: {string.Join(", ", names)})";
            return false;
        };

    private static ScalarParser<T> FromTable<T>((T Value, string Name)[] table, string what) =>
        Named((string? name, out T value) => TryFind(table, name, out value), table.Select(e => e.Name).ToArray(), what);

    private static bool TryFind<T>((T Value, string Name)[] table, string? name, out T value)
    {
        foreach (var (candidate, candidateName) in table)
        {
            value = candidate;
            if (string.Equals(candidateName, name, StringComparison.Ordinal)) return true;
        }
        value = default!;
        return false;
    }
}
