using System.Text.Json;
using System.Text.Json.Serialization;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Xen;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Running;

/// <summary>
/// A run as stored in the journal's runs table (its settings JSON): enough to execute it again. A
/// scenario file's whole text is kept, so a stored run does not depend on the file staying the same.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The scenario's name (a built-in's name, or the file's).</summary>
    public required string Scenario { get; init; }

    /// <summary>The YAML text the scenario was loaded from.</summary>
    public required string ScenarioYaml { get; init; }

    public required string Policy { get; init; }

    /// <summary>The toolstack every host ran, or null for each host's own.</summary>
    public string? Toolstack { get; init; }

    public string? PreCopy { get; init; }

    /// <summary>The invalidation mode given on the command line, or null for the scenario's.</summary>
    public string? Invalidation { get; init; }

    /// <summary>The Device-TLB flush latency given on the command line (ticks), or null for each device's own.</summary>
    public long? FlushTicks { get; init; }

    /// <summary>The altp2m sharing rules given on the command line, or null for the scenario's.</summary>
    public string? Altp2m { get; init; }

    /// <summary>Migrations whose veto counterfactual runs found needless.</summary>
    public IReadOnlyList<int> Needless { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunSettings Of(RunRecord run)
    {
        try
        {
            return JsonSerializer.Deserialize<RunSettings>(run.SettingsJson, Json)
                   ?? throw new JsonException("settings are null");
        }
        catch (JsonException e)
        {
            throw new JournalException($"run '{run.RunId}' has settings this build cannot read as a simulation run: {e.Message}", e);
        }
    }

    public RunOptions ToOptions(ulong seed)
    {
        if (!Names.TryParse(Policy, out VetoPolicy policy)) throw new JournalException($"stored policy '{Policy}' is unknown to this build");
        ToolstackKind? toolstack = null;
        if (Toolstack is not null)
        {
            if (!Names.TryParse(Toolstack, out ToolstackKind kind)) throw new JournalException($"stored toolstack '{Toolstack}' is unknown to this build");
            toolstack = kind;
        }
        PreCopyPolicyKind? preCopy = null;
        if (PreCopy is not null)
        {
            if (!Names.TryParse(PreCopy, out PreCopyPolicyKind parsed)) throw new JournalException($"stored pre-copy policy '{PreCopy}' is unknown to this build");
            preCopy = parsed;
        }
        var options = new RunOptions { Policy = policy, Toolstack = toolstack, PreCopy = preCopy, Seed = seed, Needless = Needless.ToHashSet() };
        try
        {
            return options.WithOverrides(Invalidation ?? "", FlushTicks ?? -1, Altp2m ?? "");
        }
        catch (InvalidDataException e)
        {
            throw new JournalException($"stored run settings: {e.Message}", e);
        }
    }
}
