using System.Globalization;
using Migration.Scenarios.Loading;

namespace Migration.Scenarios.Validation;

/// <summary>The small helpers the rules share: a condition with its message, and numbers written for people.</summary>
internal static class Rule
{
    public static void That(bool holds, SourceMap map, string path, string message)
    {
        if (!holds) throw map.Error(path, message);
    }

    public static void NotNegative(double value, SourceMap map, string path) =>
        That(double.IsFinite(value) && value >= 0, map, path, $"must be a finite number at least 0 (is {Number(value)})");

    public static void NotNegative(TimeSpan value, SourceMap map, string path) =>
        That(value >= TimeSpan.Zero, map, path, $"must not be negative (is {value})");

    public static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => Number(fraction * 100) + "%";
}
