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
    private readonly record struct Entry(long Frame, PageAccess Access);

    private readonly Dictionary<string, Dictionary<long, Entry>> hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Dictionary<long, Entry>>> views = new(StringComparer.Ordinal);
    private readonly HashSet<(string Domain, long Gfn)> nominated = new();
    private readonly Dictionary<long, SortedSet<(string Domain, long Gfn)>> sharers = new();   // shared frame -> who maps it
    private long nextFrame = 0x1000;

    public SharedMemory(Altp2mSharingMode mode = Altp2mSharingMode.Xen)
    {
        Mode = mode;
    }

    public Altp2mSharingMode Mode { get; }

    /// <summary>A domain with <paramref name="pages"/> gfns from 0, each backed by a frame of its own, full access.</summary>
    public void AddDomain(string domain, int pages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pages);
        if (!hosts.TryAdd(domain, new Dictionary<long, Entry>())) throw new InvalidOperationException($"{domain} exists");
        for (long gfn = 0; gfn < pages; gfn++) hosts[domain][gfn] = new Entry(nextFrame++, PageAccess.ReadWriteExecute);
        views[domain] = [];
    }

    /// <summary>A new altp2m view of the domain (empty: every gfn read from the host P2M); returns its index, from 1.</summary>
    public int CreateView(string domain)
    {
        var list = ViewsOf(domain);
        list.Add(new Dictionary<long, Entry>());
        return list.Count;
    }

    /// <summary>The frame and access a view (0: the host P2M) gives a gfn, or null where it maps nothing.</summary>
    public (long Frame, PageAccess Access)? Lookup(string domain, int view, long gfn)
    {
        if (view != 0 && View(domain, view).TryGetValue(gfn, out var own)) return (own.Frame, own.Access);
        return HostOf(domain).TryGetValue(gfn, out var entry) ? (entry.Frame, entry.Access) : null;
    }

    public bool IsShared(string domain, long gfn) => HostOf(domain).TryGetValue(gfn, out var entry) && sharers.ContainsKey(entry.Frame);

    /// <summary>
    /// <c>nominate_page()</c>: the gfn may be shared. Fails with -EINVAL while any view maps it to
    /// another frame or with another access, and with -E2BIG (<c>page_make_sharable()</c>'s reference
    /// count) while a view points another gfn at its frame.
    /// </summary>
    public SharingResult Nominate(string domain, long gfn)
    {
        if (!HostOf(domain).TryGetValue(gfn, out var host)) return new("-EINVAL", $"{domain} has no gfn 0x{gfn:x}");
        if (sharers.ContainsKey(host.Frame)) return SharingResult.Ok;
        var list = ViewsOf(domain);
        for (var i = 0; i < list.Count; i++)
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
        nominated.Add((domain, gfn));
        return SharingResult.Ok;
    }

    /// <summary>
    /// <c>mem_sharing_share_pages()</c>: the target gfn now maps the source's frame, shared by both;
    /// the target's frame is freed. Both must have been nominated.
    /// </summary>
    public SharingResult Share(string source, long sourceGfn, string target, long targetGfn)
    {
        if (!nominated.Contains((source, sourceGfn)) && !IsShared(source, sourceGfn)) return new("-EINVAL", $"{source}'s gfn 0x{sourceGfn:x} is not nominated");
        if (!nominated.Contains((target, targetGfn)) && !IsShared(target, targetGfn)) return new("-EINVAL", $"{target}'s gfn 0x{targetGfn:x} is not nominated");
        var frame = HostOf(source)[sourceGfn].Frame;
        var old = HostOf(target)[targetGfn];
        nominated.Remove((source, sourceGfn));
        nominated.Remove((target, targetGfn));
        if (old.Frame == frame) return SharingResult.Ok;
        var holders = sharers.TryGetValue(frame, out var existing) ? existing : sharers[frame] = [(source, sourceGfn)];
        // Whoever shared the target's old frame now shares this one.
        var moving = sharers.Remove(old.Frame, out var oldHolders) ? oldHolders : [(target, targetGfn)];
        foreach (var (domain, gfn) in moving)
        {
            SetHost(domain, gfn, HostOf(domain)[gfn] with { Frame = frame }, old.Frame);
            holders.Add((domain, gfn));
        }
        return SharingResult.Ok;
    }

    /// <summary>
    /// <c>__mem_sharing_unshare_page()</c> (a write to a shared page): the gfn gets a private copy in a
    /// frame of its own; views that read it from the host, or hold the host's old entry for it,
    /// follow. A view's entry at another gfn pointing at the shared frame is not the reverse map's
    /// business: it stays.
    /// </summary>
    public SharingResult Unshare(string domain, long gfn)
    {
        if (!HostOf(domain).TryGetValue(gfn, out var host) || !sharers.TryGetValue(host.Frame, out var holders)) return SharingResult.Ok;
        holders.Remove((domain, gfn));
        if (holders.Count == 0) sharers.Remove(host.Frame);
        SetHost(domain, gfn, host with { Frame = nextFrame++ }, host.Frame);
        if (Mode == Altp2mSharingMode.PatchV4)
        {
            // The patch's admitted side effect: the views' entries of the gfn become the host's again, their access and remapping lost.
            var entry = HostOf(domain)[gfn];
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
        if (!HostOf(domain).ContainsKey(gfn)) return new("-EINVAL", $"{domain} has no gfn 0x{gfn:x}");
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
    /// <paramref name="newGfn"/> does. On a shared page Xen fails it (-EINVAL); the v4 patch allows it.
    /// </summary>
    public SharingResult ChangeGfn(string domain, int view, long oldGfn, long newGfn)
    {
        var entries = View(domain, view);
        if (Lookup(domain, view, oldGfn) is not { } old || Lookup(domain, view, newGfn) is not { } target)
            return new("-EINVAL", $"{domain} does not map gfn 0x{oldGfn:x} and 0x{newGfn:x}");
        if (Mode == Altp2mSharingMode.Xen && (IsShared(domain, oldGfn) || IsShared(domain, newGfn)))
            return new("-EINVAL", $"changing a gfn on a shared page of {domain} fails");
        entries[oldGfn] = new Entry(target.Frame, old.Access);
        return SharingResult.Ok;
    }

    /// <summary>The oracle: every view entry pointing at a frame its domain's host P2M no longer has (none, under Xen's rules).</summary>
    public IReadOnlyList<StaleViewEntry> StaleViews()
    {
        var holders = new Dictionary<long, List<string>>();
        foreach (var (domain, entries) in hosts)
        {
            foreach (var (gfn, entry) in entries)
            {
                if (!holders.TryGetValue(entry.Frame, out var list)) holders[entry.Frame] = list = [];
                list.Add($"{domain}'s gfn 0x{gfn:x}");
            }
        }
        var stale = new List<StaleViewEntry>();
        foreach (var domain in views.Keys.Order(StringComparer.Ordinal))
        {
            var owned = hosts[domain].Values.Select(e => e.Frame).ToHashSet();
            var list = views[domain];
            for (var i = 0; i < list.Count; i++)
            {
                foreach (var (gfn, entry) in list[i].OrderBy(e => e.Key))
                {
                    if (owned.Contains(entry.Frame)) continue;
                    stale.Add(new StaleViewEntry(domain, i + 1, gfn, entry.Frame,
                        holders.TryGetValue(entry.Frame, out var now) ? now.Order(StringComparer.Ordinal).ToArray() : []));
                }
            }
        }
        return stale;
    }

    /// <summary>The host P2M's gfn changes from <paramref name="oldFrame"/>: views holding the old entry for that gfn follow (<c>p2m_altp2m_propagate_change()</c>).</summary>
    private void SetHost(string domain, long gfn, Entry entry, long oldFrame)
    {
        HostOf(domain)[gfn] = entry;
        foreach (var view in ViewsOf(domain))
        {
            if (view.TryGetValue(gfn, out var own) && own.Frame == oldFrame) view[gfn] = own with { Frame = entry.Frame };
        }
    }

    private Dictionary<long, Entry> HostOf(string domain) =>
        hosts.TryGetValue(domain, out var entries) ? entries : throw new InvalidOperationException($"no domain {domain}");

    private List<Dictionary<long, Entry>> ViewsOf(string domain) =>
        views.TryGetValue(domain, out var list) ? list : throw new InvalidOperationException($"no domain {domain}");

    private Dictionary<long, Entry> View(string domain, int view)
    {
        var list = ViewsOf(domain);
        return view >= 1 && view <= list.Count ? list[view - 1] : throw new ArgumentOutOfRangeException(nameof(view), view, $"{domain} has views 1 to {list.Count}");
    }
}
