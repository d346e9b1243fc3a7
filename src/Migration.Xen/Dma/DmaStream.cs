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

    /// <summary>Appends the transactions in [<paramref name="fromTicks"/>, <paramref name="toTicks"/>) to <paramref name="into"/>, in time order.</summary>
    public void Emit(long fromTicks, long toTicks, List<DmaTransaction> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (toTicks < fromTicks) throw new ArgumentOutOfRangeException(nameof(toTicks), $"interval [{fromTicks}, {toTicks})");
        var first = TransactionsBefore(fromTicks);
        var end = TransactionsBefore(toTicks);
        if (end - first > TransactionsPerEmitMax)
            throw new InvalidOperationException($"{end - first:N0} DMA transactions in one interval: more than {TransactionsPerEmitMax:N0}");
        for (var j = first; j < end; j++)
        {
            var draw = SplitMix.At(seed, (ulong)j);
            var page = BufferStartPage + (long)((draw >> 20) % (ulong)BufferPages);
            var write = WriteShare > 0 && (draw & 0xFFFFF) < WriteShare * 0x100000;
            var ticks = (long)Math.Ceiling(j * (double)TimeSpan.TicksPerSecond / PerSecond);
            into.Add(new DmaTransaction(page, Math.Max(ticks, fromTicks), write));
        }
    }
}
