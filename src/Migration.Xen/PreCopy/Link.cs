namespace Migration.Xen.PreCopy;

/// <summary>How long pages take on the migration stream (tools/libs/guest/xg_sr_save.c's record format).</summary>
public static class Link
{
    public const int PageBytes = 4096;

    /// <summary>A PAGE_DATA record carries the pfn of each page (8 bytes) beside its contents.</summary>
    public const int PfnBytesPerPage = 8;

    /// <summary>Pages per PAGE_DATA record (MAX_BATCH_SIZE: 4 MiB).</summary>
    public const int BatchPagesMax = 1024;

    /// <summary>The record and batch headers of one PAGE_DATA record.</summary>
    public const int BatchHeaderBytes = 16;

    public const long TicksPerSecond = TimeSpan.TicksPerSecond;

    public static long Batches(long pages) => (pages + BatchPagesMax - 1) / BatchPagesMax;

    public static long StreamBytes(long pages) => pages * (PageBytes + PfnBytesPerPage) + Batches(pages) * BatchHeaderBytes;

    /// <summary>Virtual ticks to put <paramref name="bytes"/> on a link of <paramref name="bytesPerSecond"/> (rounded up, at least one tick for any data).</summary>
    public static long TransferTicks(long bytes, double bytesPerSecond)
    {
        if (!(bytesPerSecond > 0) || double.IsInfinity(bytesPerSecond))
            throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "a link rate must be positive and finite");
        if (bytes <= 0) return 0;
        return Math.Max(1, (long)Math.Ceiling(bytes * (double)TicksPerSecond / bytesPerSecond));
    }
}
