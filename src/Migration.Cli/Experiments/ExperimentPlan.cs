using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Iommu;
using Migration.Xen.Policies;

namespace Migration.Cli.Experiments;

/// <summary>
/// What an experiment runs: one scenario under every invalidation mode, policy and seed (mode-major,
/// then policy-major order). <see cref="Base"/> carries what every run shares (toolstack, pre-copy
/// policy, the invalidation overrides).
/// </summary>
internal sealed record ExperimentPlan(ScenarioText Scenario, IReadOnlyList<VetoPolicy> Policies, IReadOnlyList<ulong> Seeds, RunOptions Base)
{
    /// <summary>The invalidation modes varied (one row per mode), or null for the one <see cref="Base"/> gives.</summary>
    public IReadOnlyList<InvalidationMode>? Modes { get; init; }

    public int RunCount => GroupCount * Seeds.Count;

    /// <summary>The plan's groups of runs that differ only in their seed: each policy under each mode.</summary>
    public int GroupCount => (Modes?.Count ?? 1) * Policies.Count;

    /// <summary>The groups' names, in plan order.</summary>
    public IEnumerable<string> Groups() =>
        from mode in Modes?.Select(m => (InvalidationMode?)m) ?? [null]
        from policy in Policies
        select mode is { } named ? $"{Names.Of(policy)} under {Names.Of(named)}" : Names.Of(policy);

    public IEnumerable<RunOptions> Runs() =>
        from mode in Modes?.Select(m => (InvalidationMode?)m) ?? [Base.Invalidation]
        from policy in Policies
        from seed in Seeds
        select Base with { Policy = policy, Seed = seed, Invalidation = mode };
}
