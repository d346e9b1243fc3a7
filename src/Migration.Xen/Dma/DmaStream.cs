namespace Migration.Xen.Dma;

/// <summary>
/// A device's DMA: transactions at a steady rate, each on a page of its buffer ring and a read or a
/// write, drawn from a counter-based generator. Transaction <c>j</c> happens at <c>j / rate</c>; what
/// the device did over any interval is computed when asked, the same whichever way the time is cut.
/// </summary>
public sealed class DmaStream
{
    /// <summary>The most transactions one <see cref="Emit"/> may produce (a pass of minutes at thousands per second fits).</summary>
    public const int TransactionsPerEmitMax = 16 * 1024 * 1024;

    private readonly ulong seed;

    public DmaStream(ulong seed, DmaPattern pattern, double perSecond, double writeShare, long bufferStartPage, int bufferPages)
    {
        if (!(perSecond >= 0) || double.IsInfinity(perSecond)) throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "a DMA rate is finite and not negative");
        if (!(writeShare >= 0 && writeShare <= 1)) throw new ArgumentOutOfRangeException(nameof(writeShare), writeShare, "a share in [0, 1]");
        if (bufferPages < 1) throw new ArgumentOutOfRangeException(nameof(bufferPages), bufferPages, "at least one page");
        if (bufferStartPage < 0) throw new ArgumentOutOfRangeException(nameof(bufferStartPage), bufferStartPage, "not negative");
        this.seed = seed;
        Pattern = pattern;
        PerSecond = pattern == DmaPattern.None ? 0 : perSecond;
        WriteShare = pattern == DmaPattern.ReadWrite ? writeShare : 0;
        BufferStartPage = bufferStartPage;
        BufferPages = bufferPages;
    }

    public DmaPattern Pattern { get; }

    public double PerSecond { get; }

    public double WriteShare { get; }

    public long BufferStartPage { get; }

    public int BufferPages { get; }

    /// <summary>Transactions that happened before <paramref name="ticks"/>.</summary>
    public long TransactionsBefore(long ticks) =>
        PerSecond == 0 || ticks <= 0 ? 0 : (long)Math.Ceiling(PerSecond * ticks / TimeSpan.TicksPerSecond);

    /// <summary>
    /// Appends the transactions in [<paramref name="fromTicks"/>, <paramref name="toTicks"/>) to
    /// <paramref name="into"/>, in time order: <see cref="Slice"/> as a list, for reading a short interval whole.
    /// </summary>
    public void Emit(long fromTicks, long toTicks, List<DmaTransaction> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var slice = Slice(fromTicks, toTicks, TransactionsPerEmitMax, out var nextTicks);
        if (nextTicks < toTicks)
            throw new InvalidOperationException($"more than {TransactionsPerEmitMax:N0} DMA transactions in one interval; read it in slices");
        foreach (var transaction in slice) into.Add(transaction);
    }

    /// <summary>
    /// At most <paramref name="transactionsMax"/> transactions of [<paramref name="fromTicks"/>,
    /// <paramref name="toTicks"/>), as a slice; <paramref name="nextTicks"/> is where the next slice
    /// starts (<paramref name="toTicks"/> when the interval is done).
    /// </summary>
    public DmaSlice Slice(long fromTicks, long toTicks, int transactionsMax, out long nextTicks)
    {
        if (toTicks < fromTicks) throw new ArgumentOutOfRangeException(nameof(toTicks), $"interval [{fromTicks}, {toTicks})");
        if (transactionsMax < 1) throw new ArgumentOutOfRangeException(nameof(transactionsMax), transactionsMax, "at least one");
        var first = TransactionsBefore(fromTicks);
        var end = TransactionsBefore(toTicks);
        nextTicks = toTicks;
        if (end - first > transactionsMax)
        {
            end = first + transactionsMax;
            nextTicks = TicksAfter(end);
        }
        return new DmaSlice(this, first, end, fromTicks);
    }

    /// <summary>
    /// The first tick before which <paramref name="count"/> transactions happened: the next slice
    /// starts there, with transaction <paramref name="count"/> (timing it from <see cref="TicksOf"/>
    /// would skip it whenever its time is not a whole tick).
    /// </summary>
    private long TicksAfter(long count)
    {
        var ticks = (long)Math.Floor((count - 1) * (double)TimeSpan.TicksPerSecond / PerSecond) + 1;
        // The arithmetic is in doubles: step to the exact tick, as TransactionsBefore counts.
        while (TransactionsBefore(ticks) < count) ticks++;
        while (ticks > 1 && TransactionsBefore(ticks - 1) >= count) ticks--;
        return ticks;
    }

    /// <summary>When transaction <paramref name="index"/> happens.</summary>
    private long TicksOf(long index) => (long)Math.Ceiling(index * (double)TimeSpan.TicksPerSecond / PerSecond);

    /// <summary>Transaction <paramref name="index"/>, timed no earlier than <paramref name="fromTicks"/>.</summary>
    internal DmaTransaction TransactionAt(long index, long fromTicks)
    {
        var draw = SplitMix.At(seed, (ulong)index);
        var page = BufferStartPage + (long)((draw >> 20) % (ulong)BufferPages);
        var write = WriteShare > 0 && (draw & 0xFFFFF) < WriteShare * 0x100000;
        return new DmaTransaction(page, Math.Max(TicksOf(index), fromTicks), write);
    }
}
