namespace Migration.Persistence;

public enum PersistenceMode
{
    /// <summary>A new run: every event is written, window by window.</summary>
    Record,

    /// <summary>
    /// Continue a run stopped by a crash: the run is executed again from its start (same seed and
    /// settings), each event already stored is checked against the one the re-run persists instead of
    /// written, and events past the stored windows are written as in <see cref="Record"/>.
    /// </summary>
    Resume,

    /// <summary>Execute a stored run again and check every event against the journal; write nothing.</summary>
    Verify,

    /// <summary>Read only: persistent actors recover everything stored for them; persisting is refused.</summary>
    Inspect,
}
