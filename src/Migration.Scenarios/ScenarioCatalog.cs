using System.Collections.Concurrent;
using Migration.Scenarios.Model;

namespace Migration.Scenarios;

/// <summary>
/// The built-in scenarios (embedded <c>BuiltIn/*.yaml</c>, parsed once and shared) and the lookup
/// that lets a command take either a built-in's name or a file path.
/// </summary>
public static class ScenarioCatalog
{
    public const string DefaultName = "thread-arguments";

    private const string ResourcePrefix = "Migration.Scenarios.BuiltIn.";
    private const string ResourceSuffix = ".yaml";

    // Lazy so that each built-in is parsed once even when tests ask for it in parallel.
    private static readonly ConcurrentDictionary<string, Lazy<Scenario>> BuiltInsByName = new(StringComparer.Ordinal);

    /// <summary>The built-in scenarios' names, sorted ordinally.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(ScenarioCatalog).Assembly.GetManifestResourceNames()
        .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(ResourceSuffix, StringComparison.Ordinal))
        .Select(r => r[ResourcePrefix.Length..^ResourceSuffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static Scenario LoadBuiltIn(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!BuiltInNames.Contains(name, StringComparer.Ordinal)) throw Unknown(name, "is not a built-in scenario");
        return BuiltInsByName.GetOrAdd(name, n => new Lazy<Scenario>(() => ParseBuiltIn(n))).Value;
    }

    /// <summary>
    /// A file when <paramref name="nameOrPath"/> is an existing file, ends in .yaml or .yml, or holds a
    /// directory separator; a built-in's name otherwise.
    /// </summary>
    public static Scenario Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (LooksLikePath(nameOrPath)) return ScenarioLoader.LoadFile(nameOrPath);
        if (BuiltInNames.Contains(nameOrPath, StringComparer.Ordinal)) return LoadBuiltIn(nameOrPath);
        throw Unknown(nameOrPath, "is neither a scenario file nor a built-in scenario");
    }

    private static bool LooksLikePath(string nameOrPath) =>
        File.Exists(nameOrPath)
        || nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
        || nameOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || nameOrPath.Contains(Path.DirectorySeparatorChar)
        || nameOrPath.Contains(Path.AltDirectorySeparatorChar);

    /// <summary>The YAML text of a built-in scenario (what a journaled run stores to be replayed later).</summary>
    public static string BuiltInText(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!BuiltInNames.Contains(name, StringComparer.Ordinal)) throw Unknown(name, "is not a built-in scenario");
        using var stream = typeof(ScenarioCatalog).Assembly.GetManifestResourceStream(ResourcePrefix + name + ResourceSuffix)
            ?? throw new InvalidOperationException($"the embedded resource of built-in scenario '{name}' disappeared");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Scenario ParseBuiltIn(string name) =>
        ScenarioLoader.Load(BuiltInText(name), $"BuiltIn/{name}{ResourceSuffix}", requiredName: name);

    private static ScenarioException Unknown(string name, string problem)
    {
        var names = BuiltInNames.Count == 0 ? "none" : string.Join(", ", BuiltInNames);
        return new ScenarioException($"'{name}' {problem} (built-ins: {names})");
    }
}
