using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>
/// Where each field of a scenario was written (its field path, such as <c>devices[2].domain</c>, to
/// its line), so that checks made after parsing can still name the line. A path that was never
/// written (a missing key, or a part a generator made) falls back to its nearest written ancestor,
/// then to <see cref="FallbackLine"/>.
/// </summary>
internal sealed class SourceMap(string source)
{
    private readonly Dictionary<string, long> linesByPath = new(StringComparer.Ordinal);

    /// <summary>The file name (or built-in name) every message starts with.</summary>
    public string Source { get; } = source;

    public long FallbackLine { get; private set; } = 1;

    /// <summary>Said before the path when the field was not written but made, e.g. by a generator.</summary>
    public string? FallbackContext { get; private set; }

    public void Record(string path, long line) => linesByPath[path] = line;

    public bool Has(string path) => linesByPath.ContainsKey(path);

    public void FallBackTo(long line, string? context)
    {
        FallbackLine = line;
        FallbackContext = context;
    }

    /// <summary>An error at the line <paramref name="path"/> (or its nearest written ancestor) was written on.</summary>
    public ScenarioException Error(string path, string message)
    {
        for (var candidate = path; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (linesByPath.TryGetValue(candidate, out var line)) return ErrorAt(line, path, message);
        }
        var context = FallbackContext is null ? "" : FallbackContext + ": ";
        return ErrorAt(FallbackLine, context + path, message);
    }

    /// <summary>An error at <paramref name="line"/>; a line of 0 (a scenario made without a file) is left out.</summary>
    public ScenarioException ErrorAt(long line, string path, string message)
    {
        var where = line > 0 ? $"{Source}:{line}: " : $"{Source}: ";
        return new($"{where}{(path.Length == 0 ? "" : path + ": ")}{message}");
    }

    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary><c>a.b[2].c</c> to <c>a.b[2]</c> to <c>a.b</c> to <c>a</c> to the empty root path.</summary>
    private static string Parent(string path)
    {
        var cut = path.LastIndexOfAny(['.', '[']);
        return cut < 0 ? "" : path[..cut];
    }
}
