namespace Migration.Xen.Sharing;

/// <summary>Each <see cref="Altp2mSharingMode"/>: its name, where it comes from and what it does.</summary>
public static class Altp2mSharingModes
{
    public static IReadOnlyList<ModeInfo<Altp2mSharingMode>> All { get; } =
    [
        new(Altp2mSharingMode.Xen, "xen", "Xen 4.8 to today (653948018a)",
            "nominating a page a view maps differently fails (-EINVAL, or -E2BIG when a view points another gfn at its frame); setting access or remapping a gfn through a view unshares it first; remapping onto a shared page fails; no view is left stale"),
        new(Altp2mSharingMode.PatchV4, "patch-v4", "seeds/003: the v4 patch as posted (May 2016), refused",
            "no -EINVAL check at nomination (only -E2BIG); access and remapping through a view work on shared entries; unsharing resets the views' entries of that gfn; a view remapped onto a shared page keeps the frame after the guest unshares it: a stale view, which the oracle reports"),
    ];
}
