namespace Migration.Xen.Sharing;

/// <summary>
/// Domains' host P2Ms and altp2m views over machine frames, with mem_sharing between domains
/// (seeds/003, XEN-FACTS.md "mem_sharing with altp2m"). A view holds only the entries set through it
/// (access changed, gfn remapped); any other gfn it reads from the host P2M, as Xen's views copy
/// entries lazily. <see cref="StaleViews"/> is the oracle: no view may point at a frame its domain's
/// host P2M no longer has. The <see cref="Altp2mSharingMode"/> says whose rules apply.
/// </summary>
public sealed class SharedMemory
{
    /// <summary>The most views a domain has at once (<c>MAX_ALTP2M</c>).</summary>
    public const int MaxViews = 10;

    private readonly record struct Entry(long Frame, PageAccess Access);

    /// <summary>
    /// A domain's host P2M: gfn g maps frame <see cref="Base"/> + g with full access unless an entry
    /// overrides it, so a domain costs nothing until a gfn of it changes.
    /// </summary>
    private sealed class HostP2m(long first, long pages)
    {
        public long Base { get; } = first;
        public long Pages { get; } = pages;
        public Dictionary<long, Entry> Changed { get; } = new();
        public Dictionary<long, int> ChangedFrames { get; } = new();   // frames the changed entries map, counted

        public bool TryGet(long gfn, out Entry entry)
        {
            if (Changed.TryGetValue(gfn, out entry)) return true;
            entry = new Entry(Base + gfn, PageAccess.ReadWriteExecute);
            return gfn >= 0 && gfn < Pages;
        }

        public void Set(long gfn, Entry entry)
        {
            if (Changed.TryGetValue(gfn, out var old) && --ChangedFrames[old.Frame] == 0) ChangedFrames.Remove(old.Frame);
            Changed[gfn] = entry;
            ChangedFrames[entry.Frame] = ChangedFrames.GetValueOrDefault(entry.Frame) + 1;
        }

        public bool Owns(long frame) =>
            ChangedFrames.ContainsKey(frame) || (frame >= Base && frame < Base + Pages && !Changed.ContainsKey(frame - Base));

        /// <summary>The gfns mapping <paramref name="frame"/>, in order.</summary>
        public IEnumerable<long> GfnsOf(long frame)
        {
            var gfns = new SortedSet<long>(Changed.Where(e => e.Value.Frame == frame).Select(e => e.Key));
            if (frame >= Base && frame < Base + Pages && !Changed.ContainsKey(frame - Base)) gfns.Add(frame - Base);
            return gfns;
        }
    }

    private readonly Dictionary<string, HostP2m> hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Dictionary<long, Entry>>> views = new(StringComparer.Ordinal);
    // Shared-typed frame (nominated, or shared) -> who maps it: nomination makes the page p2m_ram_shared with one holder.
    private readonly Dictionary<long, SortedSet<(string Domain, long Gfn)>> sharers = new();
    private long nextFrame = 0x1000;

    public SharedMemory(Altp2mSharingMode mode = Altp2mSharingMode.Xen)
    {
        Mode = mode;
    }

    public Altp2mSharingMode Mode { get; }

    /// <summary>A domain with <paramref name="pages"/> gfns from 0, each backed by a frame of its own, full access.</summary>
    public void AddDomain(string domain, long pages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pages);
        if (hosts.ContainsKey(domain)) throw new InvalidOperationException($"{domain} exists");
        hosts[domain] = new HostP2m(nextFrame, pages);
        nextFrame += pages;
        views[domain] = [];
    }

    public bool HasDomain(string domain) => hosts.ContainsKey(domain);

    /// <summary>
    /// The domain is destroyed (or has left for another host): its views go, its frames are freed,
    /// and it no longer shares: a shared frame stays with whoever else maps it.
    /// </summary>
    public void RemoveDomain(string domain)
    {
        if (!hosts.Remove(domain)) return;
        views.Remove(domain);
        foreach (var frame in sharers.Keys.ToArray())
        {
            var holders = sharers[frame];
            holders.RemoveWhere(h => h.Domain == domain);
            if (holders.Count == 0) sharers.Remove(frame);
        }
    }

    /// <summary>How many views the domain has (numbered 1 to that).</summary>
    public int ViewCount(string domain) => ViewsOf(domain).Count;

    /// <summary>
    /// A new altp2m view of the domain (empty: every gfn read from the host P2M); returns its index,
    /// from 1, or null when all <see cref="MaxViews"/> are in use.
    /// </summary>
    public int? CreateView(string domain)
    {
        var list = ViewsOf(domain);
        if (list.Count == MaxViews) return null;
        list.Add(new Dictionary<long, Entry>());
        return list.Count;
    }

    public bool HasView(string domain, int view) => views.TryGetValue(domain, out var list) && view >= 1 && view <= list.Count;

    /// <summary>The frame and access a view (0: the host P2M) gives a gfn, or null where it maps nothing.</summary>
    public (long Frame, PageAccess Access)? Lookup(string domain, int view, long gfn)
    {
        if (view != 0 && View(domain, view).TryGetValue(gfn, out var own)) return (own.Frame, own.Access);
        return HostOf(domain).TryGet(gfn, out var entry) ? (entry.Frame, entry.Access) : null;
    }

    /// <summary>How many gfns map the gfn's shared-typed page (1: nominated, or the last sharer; 0: not shared).</summary>
    public int SharerCount(string domain, long gfn) =>
        HostOf(domain).TryGet(gfn, out var entry) && sharers.TryGetValue(entry.Frame, out var holders) ? holders.Count : 0;

    /// <summary>Whether the gfn's page is shared-typed (p2m_ram_shared): nominated, or shared with another gfn.</summary>
    public bool IsShared(string domain, long gfn) => HostOf(domain).TryGet(gfn, out var entry) && sharers.ContainsKey(entry.Frame);

    /// <summary>
    /// <c>nominate_page()</c>: the gfn's page becomes shared-typed, ready to share. Fails with -E2BIG
    /// (<c>page_make_sharable()</c>'s reference count) while a view points another gfn at its frame;
    /// under Xen's rules also with -EINVAL while a view maps the gfn to another frame or with another
    /// access (the check 653948018a added: the v4 patch had none).
    /// </summary>
    public SharingResult Nominate(string domain, long gfn)
    {
        if (!HostOf(domain).TryGet(gfn, out var host)) return new("-EINVAL", $"{domain} has no gfn 0x{gfn:x}");
        if (sharers.ContainsKey(host.Frame)) return SharingResult.Ok;
        var list = ViewsOf(domain);
        for (var i = 0; i < list.Count && Mode == Altp2mSharingMode.Xen; i++)
        {
            if (list[i].TryGetValue(gfn, out var own) && own != host)
                return new("-EINVAL", $"view {i + 1} of {domain} maps gfn 0x{gfn:x} {(own.Frame != host.Frame ? "to another frame" : "with another access")}");
        }
        for (var i = 0; i < list.Count; i++)
        {
            foreach (var (other, own) in list[i])
            {
                if (other != gfn && own.Frame == host.Frame)
                    return new("-E2BIG", $"view {i + 1} of {domain} points gfn 0x{other:x} at the frame too: its reference count is one more than expected");
            }
        }
        sharers[host.Frame] = [(domain, gfn)];
        return SharingResult.Ok;
    }

    /// <summary>
    /// <c>mem_sharing_share_pages()</c>: the target gfn now maps the source's frame, shared by both;
    /// the target's frame is freed. Both must have been nominated.
    /// </summary>
    public SharingResult Share(string source, long sourceGfn, string target, long targetGfn)
    {
        if (!IsShared(source, sourceGfn)) return new("-EINVAL", $"{source}'s gfn 0x{sourceGfn:x} is not nominated");
        if (!IsShared(target, targetGfn)) return new("-EINVAL", $"{target}'s gfn 0x{targetGfn:x} is not nominated");
        HostOf(source).TryGet(sourceGfn, out var sourceEntry);
        HostOf(target).TryGet(targetGfn, out var old);
        var frame = sourceEntry.Frame;
        if (old.Frame == frame) return SharingResult.Ok;
        var holders = sharers[frame];
        // Whoever shared the target's old frame now shares this one.
        var moving = sharers[old.Frame];
        sharers.Remove(old.Frame);
        foreach (var (domain, gfn) in moving)
        {
            HostOf(domain).TryGet(gfn, out var entry);
            SetHost(domain, gfn, entry with { Frame = frame }, old.Frame);
            holders.Add((domain, gfn));
        }
        return SharingResult.Ok;
    }

    /// <summary>
    /// <c>__mem_sharing_unshare_page()</c> (a write to a shared page): the gfn gets a private copy in a
    /// frame of its own, or, the last to map the page (<c>rmap_has_one_entry()</c>), keeps it as
    /// private. Views that read it from the host, or hold the host's old entry for it, follow. A
    /// view's entry at another gfn pointing at the shared frame is not the reverse map's business: it stays.
    /// </summary>
    public SharingResult Unshare(string domain, long gfn)
    {
        if (!HostOf(domain).TryGet(gfn, out var host) || !sharers.TryGetValue(host.Frame, out var holders)) return SharingResult.Ok;
        holders.Remove((domain, gfn));
        // The last to map it: page_make_private(), the same frame typed p2m_ram_rw again, nothing copied.
        if (holders.Count == 0) sharers.Remove(host.Frame);
        else SetHost(domain, gfn, host with { Frame = nextFrame++ }, host.Frame);
        if (Mode == Altp2mSharingMode.PatchV4)
        {
            // The patch's admitted side effect: the views' entries of the gfn become the host's again, their access and remapping lost.
            HostOf(domain).TryGet(gfn, out var entry);
            foreach (var view in ViewsOf(domain))
            {
                if (view.ContainsKey(gfn)) view[gfn] = entry;
            }
        }
        return SharingResult.Ok;
    }

    /// <summary>
    /// Sets a gfn's access in a view (<c>p2m_set_altp2m_mem_access()</c>). Xen unshares a shared page
    /// first; the v4 patch sets it on the shared entry.
    /// </summary>
    public SharingResult SetAccess(string domain, int view, long gfn, PageAccess access)
    {
        var entries = View(domain, view);
        if (!HostOf(domain).TryGet(gfn, out _)) return new("-EINVAL", $"{domain} has no gfn 0x{gfn:x}");
        var unshared = false;
        if (IsShared(domain, gfn) && Mode == Altp2mSharingMode.Xen)
        {
            Unshare(domain, gfn);
            unshared = true;
        }
        var current = Lookup(domain, view, gfn)!.Value;
        entries[gfn] = new Entry(current.Frame, access);
        return unshared ? new SharingResult(null, "", Unshared: true) : SharingResult.Ok;
    }

    /// <summary>
    /// <c>p2m_change_altp2m_gfn()</c>: in the view, <paramref name="oldGfn"/> maps what
    /// <paramref name="newGfn"/> does. Xen reads an old gfn the view does not hold from the host P2M
    /// with P2M_UNSHARE, so a shared one is unshared first, and refuses (-EINVAL) a new gfn whose page
    /// is shared ("currently it is not safe to remap to a shared entry"); the v4 patch allows both as they are.
    /// </summary>
    public SharingResult ChangeGfn(string domain, int view, long oldGfn, long newGfn)
    {
        var entries = View(domain, view);
        if (Lookup(domain, view, oldGfn) is null || Lookup(domain, view, newGfn) is null)
            return new("-EINVAL", $"{domain} does not map gfn 0x{oldGfn:x} and 0x{newGfn:x}");
        // Xen reads the old gfn first, unsharing it, and only then looks at the new one: a call that fails still unshared.
        var unshared = false;
        if (Mode == Altp2mSharingMode.Xen && !entries.ContainsKey(oldGfn) && IsShared(domain, oldGfn))
        {
            Unshare(domain, oldGfn);
            unshared = true;
        }
        var target = Lookup(domain, view, newGfn)!.Value;
        if (Mode == Altp2mSharingMode.Xen && sharers.ContainsKey(target.Frame))
            return new("-EINVAL", $"gfn 0x{newGfn:x} of {domain} is a shared page: remapping onto a shared entry fails" +
                                  (unshared ? $" (gfn 0x{oldGfn:x} was unshared all the same)" : ""), unshared);
        var old = Lookup(domain, view, oldGfn)!.Value;
        entries[oldGfn] = new Entry(target.Frame, old.Access);
        return unshared ? new SharingResult(null, "", Unshared: true) : SharingResult.Ok;
    }

    /// <summary>The oracle: every view entry pointing at a frame its domain's host P2M no longer has (none, under Xen's rules).</summary>
    public IReadOnlyList<StaleViewEntry> StaleViews()
    {
        var stale = new List<StaleViewEntry>();
        foreach (var domain in views.Keys.Order(StringComparer.Ordinal))
        {
            var host = hosts[domain];
            var list = views[domain];
            for (var i = 0; i < list.Count; i++)
            {
                foreach (var (gfn, entry) in list[i].OrderBy(e => e.Key))
                {
                    if (host.Owns(entry.Frame)) continue;
                    stale.Add(new StaleViewEntry(domain, i + 1, gfn, entry.Frame, HoldersOf(entry.Frame)));
                }
            }
        }
        return stale;
    }

    /// <summary>Who maps <paramref name="frame"/> in a host P2M ("domain's gfn 0x…"), in order; empty when it is free.</summary>
    private string[] HoldersOf(long frame)
    {
        var holders = new List<string>();
        foreach (var (domain, host) in hosts)
        {
            if (!host.Owns(frame)) continue;
            holders.AddRange(host.GfnsOf(frame).Select(gfn => $"{domain}'s gfn 0x{gfn:x}"));
        }
        return holders.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The host P2M's gfn changes from <paramref name="oldFrame"/>: views holding the old entry for that gfn follow (<c>p2m_altp2m_propagate_change()</c>).</summary>
    private void SetHost(string domain, long gfn, Entry entry, long oldFrame)
    {
        HostOf(domain).Set(gfn, entry);
        foreach (var view in ViewsOf(domain))
        {
            if (view.TryGetValue(gfn, out var own) && own.Frame == oldFrame) view[gfn] = own with { Frame = entry.Frame };
        }
    }

    private HostP2m HostOf(string domain) =>
        hosts.TryGetValue(domain, out var entries) ? entries : throw new InvalidOperationException($"no domain {domain}");

    private List<Dictionary<long, Entry>> ViewsOf(string domain) =>
        views.TryGetValue(domain, out var list) ? list : throw new InvalidOperationException($"no domain {domain}");

    private Dictionary<long, Entry> View(string domain, int view)
    {
        var list = ViewsOf(domain);
        return view >= 1 && view <= list.Count
            ? list[view - 1]
            : throw new ArgumentOutOfRangeException(nameof(view), view, $"{domain} has no view {view}");
    }
}
