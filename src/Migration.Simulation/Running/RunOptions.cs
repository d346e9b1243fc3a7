using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Running;

/// <summary>What a run varies beside its scenario: the policy, the toolstack, the seed.</summary>
public sealed record RunOptions
{
    public VetoPolicy Policy { get; init; } = VetoPolicy.HasDevices;

    /// <summary>Every host runs this toolstack; null keeps each host's own.</summary>
    public ToolstackKind? Toolstack { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>How the engine executes the hosts; the results and hash are the same either way.</summary>
    public Migration.Actors.ExecutionMode Mode { get; init; } = Migration.Actors.ExecutionMode.Sequential;

    /// <summary>Overrides the scenario's pre-copy policy when set.</summary>
    public PreCopyPolicyKind? PreCopy { get; init; }

    /// <summary>
    /// Counterfactual runs: the migrations (by index) whose first refusal is waived, to see what would
    /// have happened without it.
    /// </summary>
    public IReadOnlySet<int> Waive { get; init; } = new HashSet<int>();

    /// <summary>Migrations (by index) a counterfactual run found would have completed cleanly: their veto was needless.</summary>
    public IReadOnlySet<int> Needless { get; init; } = new HashSet<int>();
}
