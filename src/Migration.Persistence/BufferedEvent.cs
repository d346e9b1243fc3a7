using Migration.Persistence.Journal;

namespace Migration.Persistence;

/// <summary>
/// An event waiting for its window's commit, with the key of the delivery that persisted it:
/// sorting by (time, origin key, append order) gives the same row order in every execution mode.
/// </summary>
internal readonly record struct BufferedEvent(long DeliveryTicks, long DeliveryOriginKey, long AppendIndex, PersistentRow Row);
