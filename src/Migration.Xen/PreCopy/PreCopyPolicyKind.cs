namespace Migration.Xen.PreCopy;

/// <summary>When pre-copy stops iterating and stops-and-copies (XEN-FACTS.md, tools/libs/guest/xg_sr_save.c).</summary>
public enum PreCopyPolicyKind
{
    /// <summary>Today's Xen: stop under 50 dirty pages or after 5 passes, full link rate.</summary>
    Xen,

    /// <summary>Before 4.6: up to 29 passes, stop under 50 pages or after sending 3x memory, rate limited 100 to 500 Mbit/s.</summary>
    Pre46,
}
