using Migration.Scenarios.Validation;

namespace Migration.Scenarios.Generators;

/// <summary>A generator parameter out of its range: the YAML key and what is wrong with its value.</summary>
internal readonly record struct GeneratorProblem(string Key, string Message)
{
    /// <summary>A problem when <paramref name="value"/> is outside [<paramref name="min"/>, <paramref name="max"/>], else null.</summary>
    public static GeneratorProblem? Range(string key, double value, double min, double max)
    {
        if (value >= min && value <= max) return null;
        return new GeneratorProblem(key, $"{Rule.Number(value)} is outside [{Rule.Number(min)}, {Rule.Number(max)}]");
    }
}
