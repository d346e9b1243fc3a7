namespace Migration.Persistence.Journal;

public enum RunStatus
{
    /// <summary>Started and not finished: still running, or stopped by a crash (resumable).</summary>
    Running,

    Completed,

    Failed,
}
