using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Sharing;

namespace Migration.Simulation.Actors;

/// <summary>What an altp2m or sharing event came to: what the hypervisor did, or its refusal.</summary>
/// <param name="Operation">The hypercall, as the journal names it (<c>altp2m_change_gfn</c>).</param>
/// <param name="Applied">What it did, in a sentence; null when refused.</param>
internal sealed record SharingOutcome(string Operation, string? Applied, Refusal? Refusal);

/// <summary>
/// One host's altp2m views and shared pages (seeds/003): the scenario's altp2m and sharing events,
/// carried out on a <see cref="SharedMemory"/> made at the first of them (a host without any costs
/// nothing), and the oracle's check that no view points at a frame its domain no longer has. A
/// domain's P2M here starts when it is first touched and ends when it leaves the host: views and
/// sharing are not part of the migration stream, so a domain arrives elsewhere with neither.
/// </summary>
internal sealed class HostSharing(Altp2mSharingMode mode, string hostName, IommuVendor vendor)
{
    private readonly SharedMemory memory = new(mode);
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);   // findings already made, by their text

    /// <summary>
    /// Carries out <paramref name="e"/> on this host. <paramref name="clientPages"/> is null when a
    /// share's client is not here; <paramref name="enableSharing"/> turns mem_sharing on for a domain
    /// (what the sharing memop does first) and returns the hypervisor's refusal, if any.
    /// </summary>
    public SharingOutcome Apply(EventSpec e, long domainPages, long? clientPages, Func<string, Refusal?> enableSharing)
    {
        var domain = e.Domain!;
        var operation = OperationOf(e.Kind);
        // A share's refusal without VT-x is mem_sharing_control()'s (MemSharingRule, through enableSharing).
        if (vendor != IommuVendor.Intel && e.Kind != EventKind.Share)
        {
            var sharing = e.Kind == EventKind.Unshare;
            return Refuse(operation, sharing ? "mem-sharing/unsupported" : "altp2m/unsupported", "-EOPNOTSUPP",
                $"{(sharing ? "mem_sharing (mem_sharing_control(): cpu_has_vmx)" : "altp2m (hvm_altp2m_supported(): VT-x with EPT)")} needs Intel VT-x; host {hostName} is {Names.Of(vendor)}");
        }
        Ensure(domain, domainPages);
        switch (e.Kind)
        {
            case EventKind.Altp2mView:
                return memory.CreateView(domain) is { } created
                    ? new(operation, $"view {created} of {domain} created: it reads every gfn from the host P2M until set through it", null)
                    : Refuse(operation, "altp2m/views", "-EINVAL", $"{domain} has all {SharedMemory.MaxViews} altp2m views in use (MAX_ALTP2M)");
            case EventKind.Altp2mAccess:
            {
                if (NoView(domain, e.View!.Value, operation) is { } refused) return refused;
                var shared = memory.IsShared(domain, e.Gfn!.Value);
                var result = memory.SetAccess(domain, e.View.Value, e.Gfn.Value, e.Access!.Value);
                if (!result.Succeeded) return Refuse(operation, "altp2m/set-mem-access", result.Error!, result.Reason);
                var how = result.Unshared ? "; the page was shared, so Xen unshared it first"
                    : shared ? "; on the shared entry itself (the v4 patch: the page stays shared)" : "";
                return new(operation, $"view {e.View} of {domain} gives gfn 0x{e.Gfn:x} access {Names.Of(e.Access.Value)}{how}", null);
            }
            case EventKind.Altp2mRemap:
            {
                if (NoView(domain, e.View!.Value, operation) is { } refused) return refused;
                var shared = memory.IsShared(domain, e.Gfn!.Value) || memory.IsShared(domain, e.ToGfn!.Value);
                var result = memory.ChangeGfn(domain, e.View.Value, e.Gfn.Value, e.ToGfn!.Value);
                if (!result.Succeeded) return Refuse(operation, "altp2m/change-gfn", result.Error!, result.Reason);
                var how = result.Unshared ? $"; gfn 0x{e.Gfn:x} was shared, so Xen unshared it first"
                    : shared && mode == Altp2mSharingMode.PatchV4 ? " (a shared page: the v4 patch lets it through)" : "";
                return new(operation, $"view {e.View} of {domain} maps gfn 0x{e.Gfn:x} to what gfn 0x{e.ToGfn:x} maps{how}", null);
            }
            case EventKind.Share:
                return Share(e, operation, clientPages, enableSharing);
            default:
                var sharers = memory.SharerCount(domain, e.Gfn!.Value);
                if (sharers == 0) return new(operation, $"gfn 0x{e.Gfn:x} of {domain} is not shared: the write needs no copy", null);
                memory.Unshare(domain, e.Gfn.Value);
                return new(operation, $"gfn 0x{e.Gfn:x} of {domain} was written: " +
                    (sharers == 1 ? "the last to map the page, it keeps it, private again" : "it got a private copy of the shared page") +
                    (mode == Altp2mSharingMode.PatchV4 ? "; the views' entries for it became the host's again (the v4 patch)" : ""), null);
        }
    }

    /// <summary>The domain left the host (migrated away, or destroyed): its views go, its frames are freed.</summary>
    public void Remove(string domain) => memory.RemoveDomain(domain);

    /// <summary>The oracle: view entries pointing at a frame their domain's host P2M no longer has, not reported before in this state.</summary>
    public IEnumerable<StaleViewEntry> NewlyStale() => memory.StaleViews().Where(stale => reported.Add(stale.ToString()));

    private SharingOutcome Share(EventSpec e, string operation, long? clientPages, Func<string, Refusal?> enableSharing)
    {
        var domain = e.Domain!;
        var client = e.Client!;
        if (enableSharing(domain) is { } refusedHere) return new(operation, null, refusedHere);
        var nominated = memory.Nominate(domain, e.Gfn!.Value);
        if (!nominated.Succeeded) return Refuse(operation, "mem-sharing/nominate", nominated.Error!, $"nominating gfn 0x{e.Gfn:x} of {domain} failed: {nominated.Reason}");
        if (clientPages is not { } pages)
            return Refuse(operation, "mem-sharing/client", "-ESRCH",
                $"client {client} does not run on {hostName}: only domains of one host share pages (gfn 0x{e.Gfn:x} of {domain} stays nominated)");
        if (enableSharing(client) is { } refusedThere) return new(operation, null, refusedThere);
        Ensure(client, pages);
        var clientNominated = memory.Nominate(client, e.ClientGfn!.Value);
        if (!clientNominated.Succeeded)
            return Refuse(operation, "mem-sharing/nominate", clientNominated.Error!, $"nominating gfn 0x{e.ClientGfn:x} of {client} failed: {clientNominated.Reason}");
        var shared = memory.Share(domain, e.Gfn.Value, client, e.ClientGfn.Value);
        if (!shared.Succeeded) return Refuse(operation, "mem-sharing/share", shared.Error!, shared.Reason);
        return new(operation, $"gfn 0x{e.Gfn:x} of {domain} and gfn 0x{e.ClientGfn:x} of {client} share one frame; {client}'s own was freed", null);
    }

    private SharingOutcome? NoView(string domain, int view, string operation)
    {
        if (memory.HasView(domain, view)) return null;
        var count = memory.ViewCount(domain);
        return Refuse(operation, "altp2m/no-view", "-EINVAL",
            $"{domain} has no view {view} on {hostName} ({(count == 0 ? "no views" : $"views 1 to {count}")}; views do not migrate with a domain)");
    }

    private void Ensure(string domain, long pages)
    {
        if (!memory.HasDomain(domain)) memory.AddDomain(domain, pages);
    }

    private static SharingOutcome Refuse(string operation, string rule, string error, string reason) =>
        new(operation, null, new Refusal(Refuser.Hypervisor, rule, error, reason, Waivable: false));

    private static string OperationOf(EventKind kind) => kind switch
    {
        EventKind.Altp2mView => "altp2m_create_p2m",
        EventKind.Altp2mAccess => "altp2m_set_mem_access",
        EventKind.Altp2mRemap => "altp2m_change_gfn",
        EventKind.Share => "mem_sharing_share_pages",
        EventKind.Unshare => "mem_sharing_unshare_page",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an altp2m or sharing event"),
    };
}
