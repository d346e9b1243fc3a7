namespace Migration.Scenarios.Model;

/// <summary>How long a run of a scenario lasts: what the simulation runs to and what events must fall within.</summary>
public static class RunTiming
{
    /// <summary>How long after the last scheduled start a run lasts: every migration ends well within it (each step has a timeout).</summary>
    public static readonly TimeSpan AfterLastStart = TimeSpan.FromHours(2);

    /// <summary>When the last migration is scheduled to start (zero without migrations).</summary>
    public static TimeSpan LastStart(IReadOnlyList<MigrationSpec> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var last = TimeSpan.Zero;
        foreach (var migration in migrations)
        {
            if (migration.At > last) last = migration.At;
        }
        return last;
    }

    /// <summary>The virtual time a run of the scenario ends.</summary>
    public static TimeSpan Horizon(IReadOnlyList<MigrationSpec> migrations) => LastStart(migrations) + AfterLastStart;
}
