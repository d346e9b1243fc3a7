namespace Migration.Simulation.Distributed;

/// <summary>
/// Which window a run spread over partitions runs next, as <c>ActorSystem.RunUntil</c> does in one
/// process with a journal attached: from the earliest pending event, one lookahead long, within the
/// run, and never across a commit boundary; the journal commits at each boundary once every event
/// before it is delivered, boundaries with nothing before them folded into one commit. Pure: the
/// coordinator and the in-process runner share it, so both cut the run the same way.
/// </summary>
public sealed class WindowPlanner
{
    private readonly long lookaheadTicks;
    private readonly long horizonTicks;
    private readonly long commitIntervalTicks;
    private long nextBoundaryTicks;

    /// <param name="commitIntervalTicks">The journal's window of virtual time, or 0 without a journal.</param>
    public WindowPlanner(long lookaheadTicks, long horizonTicks, long commitIntervalTicks)
    {
        if (lookaheadTicks <= 0) throw new ArgumentOutOfRangeException(nameof(lookaheadTicks), lookaheadTicks, "the lookahead must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(commitIntervalTicks);
        this.lookaheadTicks = lookaheadTicks;
        this.horizonTicks = horizonTicks;
        this.commitIntervalTicks = commitIntervalTicks;
        nextBoundaryTicks = commitIntervalTicks == 0 ? long.MaxValue : commitIntervalTicks;
    }

    /// <summary>What to do next, given the earliest pending event anywhere (null: none).</summary>
    /// <returns>
    /// The boundary to commit first (or null), and the end of the window to run then (or null when
    /// the run is over: then the commit, if any, is the run's last boundary).
    /// </returns>
    public (long? Commit, long? WindowEnd) Next(long? earliestTicks)
    {
        long? commit = null;
        if (earliestTicks is not { } next || next > horizonTicks)
        {
            // Idle to the end: time passes to the horizon, and with it every boundary before it.
            if (nextBoundaryTicks <= horizonTicks)
            {
                commit = LastBoundaryAtOrBefore(horizonTicks);
                nextBoundaryTicks = commit.Value + commitIntervalTicks;
            }
            return (commit, null);
        }
        if (next >= nextBoundaryTicks)
        {
            commit = LastBoundaryAtOrBefore(Math.Min(next, horizonTicks));
            nextBoundaryTicks = commit.Value + commitIntervalTicks;
        }
        var end = next > long.MaxValue - lookaheadTicks ? long.MaxValue : next + lookaheadTicks;
        return (commit, Math.Min(Math.Min(end, horizonTicks + 1), nextBoundaryTicks));
    }

    private long LastBoundaryAtOrBefore(long ticks) => Math.Max(nextBoundaryTicks, ticks / commitIntervalTicks * commitIntervalTicks);
}
