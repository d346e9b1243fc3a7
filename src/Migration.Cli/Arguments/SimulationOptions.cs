using System.CommandLine;
using System.CommandLine.Parsing;
using Migration.Scenarios;
using Migration.Xen;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Cli.Arguments;

/// <summary>
/// The options `run` and `experiment` share. Names are parsed while the command line is parsed, so
/// an unknown one is bad input listing the valid names before anything runs.
/// </summary>
internal static class SimulationOptions
{
    public const string AllPolicies = "all";
    public const string DefaultSeeds = "1-5";

    public static IReadOnlyList<ulong> DefaultSeedList { get; } = [1, 2, 3, 4, 5];

    public static Option<string> Scenario() => new("--scenario")
    {
        Description = $"A built-in scenario ({string.Join(", ", ScenarioCatalog.BuiltInNames)}) or a scenario file (YAML).",
        HelpName = "NAME|FILE",
        DefaultValueFactory = _ => ScenarioCatalog.DefaultName,
    };

    // Options typed by the model's enums have no default value of their own (help would print the enum's
    // member name): absent, they are null, and the command uses the default their description names.

    /// <summary>--policy; absent: <see cref="DefaultPolicy"/>.</summary>
    public static Option<VetoPolicy?> Policy() => new("--policy")
    {
        Description = $"The veto policy: {string.Join(", ", Names.AllPolicies)}. Default {Names.Of(DefaultPolicy)} (Xen today).",
        HelpName = "NAME",
        CustomParser = result => ParsePolicy(result, Single(result)),
    };

    public const VetoPolicy DefaultPolicy = VetoPolicy.HasDevices;

    /// <summary>--policies; absent: every policy.</summary>
    public static Option<IReadOnlyList<VetoPolicy>?> Policies() => new("--policies")
    {
        Description = $"'{AllPolicies}' or a comma-separated list of: {string.Join(", ", Names.AllPolicies)}. Default {AllPolicies}.",
        HelpName = "all|A,B",
        CustomParser = ParsePolicies,
    };

    public static Option<ToolstackKind?> Toolstack() => new("--toolstack")
    {
        Description = $"Run this toolstack on every host: {string.Join(", ", Names.AllToolstacks)}. Default: each host's own (the scenario's).",
        HelpName = "NAME",
        CustomParser = result => Names.TryParse(Single(result), out ToolstackKind kind) ? kind : Unknown<ToolstackKind>(result, "toolstack", Single(result), Names.AllToolstacks),
    };

    public static Option<PreCopyPolicyKind?> PreCopy() => new("--precopy")
    {
        Description = $"The pre-copy policy: {string.Join(", ", Names.AllPreCopyPolicies)}. Default: the scenario's.",
        HelpName = "NAME",
        CustomParser = result => Names.TryParse(Single(result), out PreCopyPolicyKind kind) ? kind : Unknown<PreCopyPolicyKind>(result, "pre-copy policy", Single(result), Names.AllPreCopyPolicies),
    };

    public static Option<ulong> Seed() => new("--seed")
    {
        Description = "The seed every choice of the run derives from (the same seed gives the same run).",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>--seeds; absent: null, for <see cref="DefaultSeeds"/>.</summary>
    public static Option<IReadOnlyList<ulong>?> Seeds() => new("--seeds")
    {
        Description = $"Seeds and ranges, comma-separated: 1-20, 1,2,5. Default {DefaultSeeds}.",
        HelpName = "LIST",
        CustomParser = result =>
        {
            if (SeedList.TryParse(Single(result), out var seeds, out var problem)) return seeds;
            result.AddError(problem);
            return [];
        },
    };

    internal static string Single(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;

    private static VetoPolicy? ParsePolicy(ArgumentResult result, string name) =>
        Names.TryParse(name, out VetoPolicy policy) ? policy : Unknown<VetoPolicy>(result, "policy", name, Names.AllPolicies);

    private static IReadOnlyList<VetoPolicy>? ParsePolicies(ArgumentResult result) =>
        Single(result) == AllPolicies ? Enum.GetValues<VetoPolicy>() : ParseList(result, "--policies", name => ParsePolicy(result, name));

    /// <summary>A comma-separated list of names, each parsed (null: bad, its error added), none twice; empty when any is bad.</summary>
    internal static IReadOnlyList<T> ParseList<T>(ArgumentResult result, string option, Func<string, T?> parse) where T : struct
    {
        var values = new List<T>();
        foreach (var name in Single(result).Split(',', StringSplitOptions.TrimEntries))
        {
            if (parse(name) is not { } value) return [];
            if (values.Contains(value))
            {
                result.AddError($"{option}: '{name}' is named twice");
                return [];
            }
            values.Add(value);
        }
        return values;
    }

    internal static T? Unknown<T>(ArgumentResult result, string what, string name, IReadOnlyList<string> valid) where T : struct
    {
        var option = result.Parent is OptionResult parent ? parent.Option.Name : "the option";
        result.AddError($"{option}: unknown {what} '{name}' (valid: {string.Join(", ", valid)})");
        return null;
    }
}
