namespace Migration.Xen.Sharing;

/// <summary>How mem_sharing and altp2m views of the same gfns are reconciled (seeds/003), where Xen and the thread's patch differ.</summary>
public enum Altp2mSharingMode
{
    /// <summary>
    /// What Xen merged (4.8, 653948018a; XEN-FACTS.md): nomination fails while a view maps the gfn
    /// differently; setting access or remapping through a view unshares first; changing a gfn on a
    /// shared page fails; views copy shared entries lazily and unsharing propagates to them.
    /// </summary>
    Xen,

    /// <summary>
    /// The v4 patch as posted (Tamas Lengyel, May 2016), which George Dunlap refused: access and gfn
    /// remapping through a view are allowed on shared entries, and unsharing overwrites the view's entry
    /// of that gfn with the host's. A view's remapped entry at another gfn keeps pointing at the frame.
    /// </summary>
    PatchV4,
}
