using Migration.Simulation.Running;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Cli.Experiments;

/// <summary>What an experiment runs: one scenario under every policy and seed (policy-major order).</summary>
internal sealed record ExperimentPlan(
    ScenarioText Scenario, IReadOnlyList<VetoPolicy> Policies, IReadOnlyList<ulong> Seeds, ToolstackKind? Toolstack, PreCopyPolicyKind? PreCopy)
{
    public int RunCount => Policies.Count * Seeds.Count;

    public IEnumerable<RunOptions> Runs() =>
        from policy in Policies
        from seed in Seeds
        select new RunOptions { Policy = policy, Seed = seed, Toolstack = Toolstack, PreCopy = PreCopy };
}
