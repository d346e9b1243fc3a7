namespace Migration.Xen.Dma;

/// <summary>
/// Transactions <see cref="First"/> to <see cref="End"/> (exclusive) of a device's stream, none
/// before <see cref="FromTicks"/>: what a device did over an interval, without a list of it. The
/// stream is a counter-based generator, so the slice yields the same transactions every time it is
/// read; the IOMMU reads it to translate, the domain to apply the writes let through, the device to
/// report the pages written.
/// </summary>
public readonly record struct DmaSlice(DmaStream Stream, long First, long End, long FromTicks)
{
    public static readonly DmaSlice Empty = default;

    public long Count => Stream is null ? 0 : End - First;

    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates the slice's transactions in time order, allocating nothing.</summary>
    public struct Enumerator(DmaSlice slice)
    {
        private long next = slice.First - 1;

        public DmaTransaction Current { get; private set; }

        public bool MoveNext()
        {
            if (slice.Stream is null || ++next >= slice.End) return false;
            Current = slice.Stream.TransactionAt(next, slice.FromTicks);
            return true;
        }
    }
}
