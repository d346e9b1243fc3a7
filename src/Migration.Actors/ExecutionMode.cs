namespace Migration.Actors;

public enum ExecutionMode
{
    /// <summary>One event loop delivers every host's events in the global order.</summary>
    Sequential,

    /// <summary>
    /// One event loop per host; each runs a window of one lookahead on its own, then the windows'
    /// cross-host messages are exchanged. This is the cluster's execution, in one process.
    /// </summary>
    Windowed,
}
