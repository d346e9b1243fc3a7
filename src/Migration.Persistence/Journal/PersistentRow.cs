namespace Migration.Persistence.Journal;

/// <summary>One event to write: the journal row without its ordering, which the store assigns.</summary>
/// <param name="CreatedTicks">Virtual time of the write, in <see cref="TimeSpan"/> ticks (never the wall clock: journals must be reproducible).</param>
public sealed record PersistentRow(
    string PersistenceId, long SequenceNr, long CreatedTicks, IReadOnlyList<string> Tags, string Manifest, byte[] Payload, string Writer);
