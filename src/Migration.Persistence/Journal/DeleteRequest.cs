namespace Migration.Persistence.Journal;

/// <summary>Marks a persistent actor's events up to and including <paramref name="ToSequenceNr"/> deleted.</summary>
public sealed record DeleteRequest(string PersistenceId, long ToSequenceNr);
