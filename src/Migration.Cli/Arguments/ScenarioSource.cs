using Migration.Scenarios;
using Migration.Scenarios.Model;
using Migration.Simulation.Running;

namespace Migration.Cli.Arguments;

/// <summary>
/// Loads <c>--scenario</c> with the YAML text a journaled run stores: a built-in's embedded text, or
/// the file's text as read (once, so the stored text is the one that was run).
/// </summary>
internal static class ScenarioSource
{
    public static ScenarioText Load(string nameOrPath)
    {
        try
        {
            if (File.Exists(nameOrPath))
            {
                var text = ReadFile(nameOrPath);
                return new ScenarioText(ScenarioLoader.Load(text, nameOrPath), text);
            }
            if (ScenarioCatalog.BuiltInNames.Contains(nameOrPath, StringComparer.Ordinal))
                return new ScenarioText(ScenarioCatalog.LoadBuiltIn(nameOrPath), BuiltInText(nameOrPath));
            // Neither: the catalog's own message says which (a file it cannot read, or an unknown name with the built-ins listed).
            var resolved = ScenarioCatalog.Resolve(nameOrPath);
            return new ScenarioText(resolved, ReadFile(nameOrPath));
        }
        catch (ScenarioException e)
        {
            throw new BadInputException(e.Message, e);
        }
    }

    public static string BuiltInText(string name) => ScenarioCatalog.BuiltInText(name);

    /// <summary>Whether <c>--scenario</c> names a built-in (as <see cref="Load"/> reads it: a file of that name comes first).</summary>
    public static bool IsBuiltIn(string nameOrPath) =>
        !File.Exists(nameOrPath) && ScenarioCatalog.BuiltInNames.Contains(nameOrPath, StringComparer.Ordinal);

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"{path}: cannot read the scenario file: {e.Message}");
        }
    }
}
