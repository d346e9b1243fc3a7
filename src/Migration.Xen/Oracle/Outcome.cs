namespace Migration.Xen.Oracle;

/// <summary>How a migration ended, as the oracle (which sees every write) judges it.</summary>
public enum Outcome
{
    /// <summary>Destination memory equals source memory at switch-over.</summary>
    Completed,

    /// <summary>Completed, but pages on the destination are stale (DMA writes never re-sent).</summary>
    Corrupted,

    /// <summary>DMA writes faulted during log-dirty (the device saw errors).</summary>
    Faulted,

    /// <summary>Refused, with who refused and why.</summary>
    Vetoed,

    /// <summary>Refused, but the same run without that refusal completed cleanly.</summary>
    NeedlessVeto,

    /// <summary>Given up part-way (a link went down, a step timed out); the source copy runs on.</summary>
    Aborted,

    /// <summary>A host failed; exactly one copy survives where a host is still up.</summary>
    Failed,
}

public static class OutcomeNames
{
    public static IReadOnlyList<Outcome> All { get; } = Enum.GetValues<Outcome>();

    public static string Of(Outcome outcome) => outcome switch
    {
        Outcome.Completed => "completed",
        Outcome.Corrupted => "corrupted",
        Outcome.Faulted => "faulted",
        Outcome.Vetoed => "vetoed",
        Outcome.NeedlessVeto => "needless-veto",
        Outcome.Aborted => "aborted",
        Outcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static bool TryParse(string name, out Outcome outcome)
    {
        foreach (var candidate in All)
        {
            if (Of(candidate) == name)
            {
                outcome = candidate;
                return true;
            }
        }
        outcome = default;
        return false;
    }
}
