namespace Migration.Persistence.Journal;

/// <summary>A snapshot of one persistent actor's state after <paramref name="SequenceNr"/>.</summary>
public sealed record SnapshotRow(string PersistenceId, long SequenceNr, long CreatedTicks, string Manifest, byte[] Payload);
