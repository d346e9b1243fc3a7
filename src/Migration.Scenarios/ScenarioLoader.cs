using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;
using Migration.Scenarios.Validation;

namespace Migration.Scenarios;

/// <summary>
/// Reads a scenario from YAML and validates it. Every problem with the input is a
/// <see cref="ScenarioException"/> whose message starts with <c>SOURCE:LINE: </c> and names the
/// field path (<c>devices[2].domain</c>), so the person who wrote the file can fix it.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Scenario files are a few kilobytes; anything this large is a mistake, not a scenario to read into memory.</summary>
    public const long FileBytesMax = 16L << 20;

    private const string DefaultScenarioName = "scenario";

    public static Scenario LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(ReadFile(path), path);
    }

    /// <param name="sourceName">The file name messages start with; its name without extension is the default scenario name.</param>
    public static Scenario Load(string yamlText, string sourceName) => Load(yamlText, sourceName, requiredName: null);

    /// <param name="requiredName">When set, a <c>name:</c> other than this is an error (a built-in must be called by its file's name).</param>
    internal static Scenario Load(string yamlText, string sourceName, string? requiredName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(sourceName);
        var map = new SourceMap(sourceName);
        var scenario = ScenarioReader.Read(ParseRoot(yamlText, map), DefaultName(sourceName));
        if (requiredName is not null && scenario.Name != requiredName)
        {
            throw map.Error("name", $"'{scenario.Name}' differs from the file's name '{requiredName}'; remove name: or make them equal");
        }
        ScenarioValidator.Validate(scenario, map);
        return scenario;
    }

    private static string ReadFile(string path)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > FileBytesMax)
            {
                throw new ScenarioException(
                    $"{path}: the file has {Units.FormatSize(length)}, more than a scenario file may ({Units.FormatSize(FileBytesMax)})");
            }
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioException($"{path}: cannot read the scenario file: {e.Message}");
        }
    }

    private static MappingReader ParseRoot(string yamlText, SourceMap map)
    {
        var root = YamlDocumentReader.ReadRoot(yamlText, map);
        map.FallBackTo(root.Start.Line, null);
        return MappingReader.Open(root, "", map, ScenarioReader.Keys);
    }

    private static string DefaultName(string sourceName)
    {
        var name = Path.GetFileNameWithoutExtension(sourceName);
        return string.IsNullOrEmpty(name) ? DefaultScenarioName : name;
    }
}
