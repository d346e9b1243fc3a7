namespace Migration.Xen.PreCopy;

/// <summary>Where pre-copy stands after a live pass (xg_sr_save.c's <c>precopy_stats</c>).</summary>
/// <param name="PassesDone">Live passes sent so far (pass 0 sends every page).</param>
/// <param name="DirtyPages">Pages found dirty since the last pass: what the next pass would send.</param>
/// <param name="PagesSentTotal">Pages sent by every live pass so far.</param>
/// <param name="MemoryPages">The domain's memory in pages.</param>
public sealed record PreCopyProgress(int PassesDone, long DirtyPages, long PagesSentTotal, long MemoryPages);
