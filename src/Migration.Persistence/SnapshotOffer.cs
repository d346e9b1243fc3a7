namespace Migration.Persistence;

/// <summary>Offered to the recovery handlers first when a snapshot exists: the state after <paramref name="SequenceNr"/>.</summary>
public sealed record SnapshotOffer(long SequenceNr, object Snapshot);
