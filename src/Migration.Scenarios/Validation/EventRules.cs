using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;
using Migration.Xen;

namespace Migration.Scenarios.Validation;

/// <summary>
/// Events: the keys their kind takes, a time within the run, a device that exists on the named host,
/// a domain that can be there then, x86-only features on x86, and nothing aimed at a host or domain
/// that the scenario's own faults have already taken away.
/// </summary>
internal static class EventRules
{
    public static void Check(Scenario scenario, NameIndex<HostSpec> hosts, NameIndex<DomainSpec> domains, SourceMap map)
    {
        if (scenario.Events.Count == 0) return;
        var horizon = RunTiming.Horizon(scenario.Migrations);
        var devicesByHost = scenario.Devices.ToLookup(d => d.Host, StringComparer.Ordinal);
        for (var i = 0; i < scenario.Events.Count; i++)
        {
            var e = scenario.Events[i];
            var path = SourceMap.Item("events", i);
            var kind = ScalarParsers.NameOf(e.Kind);
            Rule.NotNegative(e.At, map, SourceMap.Child(path, "at"));
            Rule.That(e.At <= horizon, map, SourceMap.Child(path, "at"),
                $"{Units.FormatDuration(e.At)} is after the run ends at {Units.FormatDuration(horizon)} ({Units.FormatDuration(RunTiming.AfterLastStart)} after the last migration starts)");
            if (e.IsDeviceEvent) CheckDeviceEvent(scenario, e, kind, path, hosts, devicesByHost, map);
            else if (e.IsHardwareDomainEvent) CheckHardwareDomainEvent(scenario, e, kind, path, hosts, map);
            else CheckNoDeviceFields(e, kind, path, map);
            CheckFailPage(e, kind, path, devicesByHost, map);
            CheckSharingFields(e, kind, path, hosts, domains, map);
            if (e.Kind is EventKind.HotPlug or EventKind.MemSharing or EventKind.MemPaging || e.IsSharingEvent) CheckDomain(scenario, e, kind, path, hosts, domains, map);
            else Rule.That(e.Domain is null, map, SourceMap.Child(path, "domain"), $"applies only to hot-plug, mem-sharing, mem-paging and the altp2m and sharing events, not to {kind}");
        }
    }

    private static void CheckDeviceEvent(Scenario scenario, EventSpec e, string kind, string path, NameIndex<HostSpec> hosts,
        ILookup<string, DeviceSpec> devicesByHost, SourceMap map)
    {
        var hostPath = SourceMap.Child(path, "host");
        if (e.Host is null) throw map.Error(hostPath, $"is required for {kind} (the host the device is on)");
        var host = hosts.Resolve(e.Host, hostPath, map);
        var devicePath = SourceMap.Child(path, "device");
        if (e.Device is null) throw map.Error(devicePath, $"is required for {kind} (the device's BDF on host '{host.Name}')");
        if (!devicesByHost[host.Name].Any(d => d.Bdf == e.Device))
        {
            var bdfs = devicesByHost[host.Name].Select(d => d.Bdf).ToArray();
            throw map.Error(devicePath, $"'{e.Device}' is not a device of host '{host.Name}' (its devices: {(bdfs.Length == 0 ? "none" : string.Join(", ", bdfs))})");
        }
        if (CrashOf(scenario, host.Name, e.At) is { } crash)
            throw map.Error(SourceMap.Child(path, "at"), $"host '{host.Name}' has crashed by then ({crash}); nothing happens on it any more");
    }

    /// <summary>The most a memory-add maps in one call: 1 GiB (a superpage's worth of IOMMU page calls).</summary>
    public const long MemoryAddMaxBytes = 1L << 30;

    /// <summary>The sizes one <c>set_entry</c> call maps MMIO with: a page or a 2 MiB superpage (page orders 0 and 9; <c>mmio_order()</c> never uses 1 GiB).</summary>
    public static readonly long[] SetEntrySizes = [PageSize.Bytes, 2L << 20];

    private static void CheckHardwareDomainEvent(Scenario scenario, EventSpec e, string kind, string path, NameIndex<HostSpec> hosts, SourceMap map)
    {
        var hostPath = SourceMap.Child(path, "host");
        if (e.Host is null) throw map.Error(hostPath, $"is required for {kind} (the host whose hardware domain {(e.Kind == EventKind.MemoryAdd ? "gets the memory" : "maps the BAR")})");
        var host = hosts.Resolve(e.Host, hostPath, map);
        Rule.That(e.Device is null, map, SourceMap.Child(path, "device"), $"applies only to hot-plug, hot-unplug and device-broken, not to {kind}");
        var sizePath = SourceMap.Child(path, "size");
        if (e.Kind == EventKind.MemoryAdd)
        {
            if (e.SizeBytes is not { } size) throw map.Error(path, "size is required for memory-add (the memory hot-added, for example 256MiB)");
            Rule.That(size > 0 && size % PageSize.Bytes == 0, map, sizePath, $"{Units.FormatSize(size)} is not a whole number of 4 KiB pages above 0");
            Rule.That(size <= MemoryAddMaxBytes, map, sizePath, $"{Units.FormatSize(size)} is more than one memory-add maps here ({Units.FormatSize(MemoryAddMaxBytes)})");
        }
        else
        {
            if (e.SizeBytes is not { } size) throw map.Error(path, "size is required for mmio-map (the BAR one set_entry call maps: 4KiB or 2MiB)");
            Rule.That(SetEntrySizes.Contains(size), map, sizePath,
                $"{Units.FormatSize(size)} is not what one set_entry call maps MMIO with (4 KiB or 2 MiB: page order 0 or 9; mmio_order() never uses 1 GiB)");
            Rule.That(!Architecture.IsArm(host.IommuVendor), map, hostPath,
                $"host '{host.Name}' is Arm: its IOMMU walks the P2M itself, so set_entry maps nothing in it (mmio-map models x86's ept_set_entry() and p2m_pt_set_entry())");
            Rule.That(e.FailPage is null || !Migration.Xen.Policies.DomainFacts.SharesPageTables(host.IommuVendor, host.SharedPageTables, domainSyncPt: false), map,
                SourceMap.Child(path, "fail-page"),
                $"host '{host.Name}' shares its page tables with the IOMMU: set_entry calls nothing in the IOMMU there, so no page can fail (give the host shared-page-tables: false, or use an AMD host)");
        }
        if (CrashOf(scenario, host.Name, e.At) is { } crash)
            throw map.Error(SourceMap.Child(path, "at"), $"host '{host.Name}' has crashed by then ({crash}); nothing happens on it any more");
    }

    private static void CheckFailPage(EventSpec e, string kind, string path, ILookup<string, DeviceSpec> devicesByHost, SourceMap map)
    {
        var failPath = SourceMap.Child(path, "fail-page");
        if (!e.IsHardwareDomainEvent) Rule.That(e.SizeBytes is null, map, SourceMap.Child(path, "size"), $"applies only to memory-add and mmio-map, not to {kind}");
        if (e.FailPage is not { } page) return;
        long pages;
        if (e.IsHardwareDomainEvent) pages = e.SizeBytes!.Value / PageSize.Bytes;
        else if (e.Kind == EventKind.HotPlug)
        {
            pages = devicesByHost[e.Host!].First(d => d.Bdf == e.Device).RmrrPages;
            Rule.That(pages > 0, map, failPath, $"device {e.Device} has no RMRR to identity-map (give it rmrr: SIZE)");
        }
        else throw map.Error(failPath, $"applies only to memory-add, mmio-map and hot-plug, not to {kind}");
        Rule.That(page >= 1 && page <= pages, map, failPath, $"page {page} is outside 1 to {pages}, the pages the call maps");
    }

    private static void CheckNoDeviceFields(EventSpec e, string kind, string path, SourceMap map)
    {
        const string DeviceKinds = "hot-plug, hot-unplug and device-broken";
        Rule.That(e.Host is null, map, SourceMap.Child(path, "host"), $"applies only to {DeviceKinds}, memory-add and mmio-map; {kind} happens wherever the domain runs then");
        Rule.That(e.Device is null, map, SourceMap.Child(path, "device"), $"applies only to {DeviceKinds}, not to {kind}");
    }

    private static void CheckDomain(Scenario scenario, EventSpec e, string kind, string path, NameIndex<HostSpec> hosts,
        NameIndex<DomainSpec> domains, SourceMap map)
    {
        var domainPath = SourceMap.Child(path, "domain");
        if (e.Domain is null) throw map.Error(domainPath, $"is required for {kind} (the domain it is for)");
        var domain = domains.Resolve(e.Domain, domainPath, map);
        var start = hosts.Resolve(domain.Host, domainPath, map);
        if (e.Kind != EventKind.HotPlug)
        {
            var feature = e.Kind switch
            {
                EventKind.MemPaging => "mem_paging",
                EventKind.Altp2mView or EventKind.Altp2mAccess or EventKind.Altp2mRemap => "altp2m",
                _ => "mem_sharing",
            };
            Rule.That(!Architecture.IsArm(start.IommuVendor), map, domainPath,
                $"{feature} exists only on x86; domain '{domain.Name}' runs on Arm host '{start.Name}'");
        }
        // Where the domain can be at the event: where it starts, or where a migration started before then takes it.
        var possible = new List<string> { domain.Host };
        possible.AddRange(scenario.Migrations.Where(m => m.Domain == domain.Name && m.At <= e.At).Select(m => m.To));
        if (e.Kind == EventKind.HotPlug && !possible.Contains(e.Host!, StringComparer.Ordinal))
        {
            throw map.Error(domainPath,
                $"domain '{domain.Name}' cannot be on host '{e.Host}' at {Units.FormatDuration(e.At)}: it starts on '{domain.Host}' and no migration to '{e.Host}' starts before then");
        }
        if (possible.All(h => CrashOf(scenario, h, e.At) is not null))
        {
            throw map.Error(domainPath,
                $"domain '{domain.Name}' is gone by {Units.FormatDuration(e.At)}: every host it can be on by then has crashed ({string.Join("; ", possible.Distinct().Select(h => CrashOf(scenario, h, e.At)))})");
        }
    }

    /// <summary>
    /// The keys of the altp2m and sharing events: each kind's own are required, the others refused;
    /// views from 1 to <see cref="Migration.Xen.Sharing.SharedMemory.MaxViews"/>, pages within the
    /// domain's memory, a client that is another x86 domain.
    /// </summary>
    private static void CheckSharingFields(EventSpec e, string kind, string path, NameIndex<HostSpec> hosts, NameIndex<DomainSpec> domains, SourceMap map)
    {
        var k = e.Kind;
        Present(e.View is not null, k is EventKind.Altp2mAccess or EventKind.Altp2mRemap, "view", "altp2m-access and altp2m-remap", "the view it goes through, from 1");
        Present(e.Gfn is not null, k is EventKind.Altp2mAccess or EventKind.Altp2mRemap or EventKind.Share or EventKind.Unshare, "gfn",
            "altp2m-access, altp2m-remap, share and unshare", "the domain's page, for example 0x100");
        Present(e.ToGfn is not null, k == EventKind.Altp2mRemap, "to-gfn", "altp2m-remap", "the page whose mapping gfn gets in the view");
        Present(e.Access is not null, k == EventKind.Altp2mAccess, "access", "altp2m-access", $"one of {string.Join(", ", Names.AllAccesses)}");
        Present(e.Client is not null, k == EventKind.Share, "client", "share", "the domain the page is shared with");
        Present(e.ClientGfn is not null, k == EventKind.Share, "client-gfn", "share", "the client's page that gets the shared frame");
        if (!e.IsSharingEvent || e.Domain is null) return;
        var domain = domains.Resolve(e.Domain, SourceMap.Child(path, "domain"), map);
        if (e.View is { } view)
        {
            Rule.That(view >= 1 && view <= Migration.Xen.Sharing.SharedMemory.MaxViews, map, SourceMap.Child(path, "view"),
                $"view {view} is outside 1 to {Migration.Xen.Sharing.SharedMemory.MaxViews} (MAX_ALTP2M)");
        }
        InDomain(e.Gfn, domain, "gfn");
        InDomain(e.ToGfn, domain, "to-gfn");
        if (e.Client is null) return;
        var clientPath = SourceMap.Child(path, "client");
        var client = domains.Resolve(e.Client, clientPath, map);
        Rule.That(client.Name != domain.Name, map, clientPath, $"is domain '{domain.Name}' itself; share a page with another domain");
        var clientHost = hosts.Resolve(client.Host, clientPath, map);
        Rule.That(!Architecture.IsArm(clientHost.IommuVendor), map, clientPath, $"mem_sharing exists only on x86; domain '{client.Name}' runs on Arm host '{clientHost.Name}'");
        InDomain(e.ClientGfn, client, "client-gfn");

        void Present(bool present, bool applies, string key, string kinds, string what)
        {
            if (applies && !present) throw map.Error(path, $"{key} is required for {kind} ({what})");
            if (!applies) Rule.That(!present, map, SourceMap.Child(path, key), $"applies only to {kinds}, not to {kind}");
        }

        void InDomain(long? gfn, DomainSpec of, string key)
        {
            if (gfn is not { } page) return;
            var pages = of.MemoryBytes / PageSize.Bytes;
            Rule.That(page < pages, map, SourceMap.Child(path, key), $"gfn 0x{page:x} is outside domain '{of.Name}' ({Units.FormatSize(of.MemoryBytes)}: gfns 0x0 to 0x{pages - 1:x})");
        }
    }

    /// <summary>The first host-crash fault of <paramref name="host"/> at or before <paramref name="at"/>, described, or null.</summary>
    private static string? CrashOf(Scenario scenario, string host, TimeSpan at)
    {
        for (var f = 0; f < scenario.Faults.Count; f++)
        {
            var fault = scenario.Faults[f];
            if (fault.Kind == FaultKind.HostCrash && fault.Host == host && fault.At <= at)
                return $"{SourceMap.Item("faults", f)}: host '{host}' crashes at {Units.FormatDuration(fault.At)}";
        }
        return null;
    }
}
