using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;

namespace Migration.Scenarios.Validation;

/// <summary>Devices: an existing host, a BDF unique on it, a domain on the same host, rates and a buffer that fit.</summary>
internal static class DeviceRules
{
    public static void Check(IReadOnlyList<DeviceSpec> devices, NameIndex<HostSpec> hosts, NameIndex<DomainSpec> domains, SourceMap map)
    {
        var indexByHostAndBdf = new Dictionary<(string Host, string Bdf), int>();
        for (var i = 0; i < devices.Count; i++)
        {
            var device = devices[i];
            var path = SourceMap.Item("devices", i);
            Rule.That(device.Bdf.Length > 0, map, SourceMap.Child(path, "bdf"), "must not be empty");
            // A BDF becomes part of an actor name and a journal persistence id.
            Rule.That(device.Bdf.Length <= 32 && device.Bdf.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'), map, SourceMap.Child(path, "bdf"),
                $"'{device.Bdf}' is not a PCI address (hexadecimal digits, ':' and '.', for example \"0000:03:00.0\")");
            hosts.Resolve(device.Host, SourceMap.Child(path, "host"), map);
            CheckUniqueBdf(device, i, indexByHostAndBdf, map);
            var domain = device.Domain is null ? null : ResolveDomain(device, domains, SourceMap.Child(path, "domain"), map);
            CheckDma(device, path, map);
            CheckBuffer(device, domain, path, map);
            CheckFlush(device, path, map);
        }
    }

    private static void CheckUniqueBdf(DeviceSpec device, int index, Dictionary<(string Host, string Bdf), int> indexByHostAndBdf, SourceMap map)
    {
        if (indexByHostAndBdf.TryAdd((device.Host, device.Bdf), index)) return;
        var first = SourceMap.Item("devices", indexByHostAndBdf[(device.Host, device.Bdf)]);
        throw map.Error(SourceMap.Child(SourceMap.Item("devices", index), "bdf"), $"'{device.Bdf}' is already used on host '{device.Host}' by {first}");
    }

    private static DomainSpec ResolveDomain(DeviceSpec device, NameIndex<DomainSpec> domains, string path, SourceMap map)
    {
        var domain = domains.Resolve(device.Domain!, path, map);
        Rule.That(domain.Host == device.Host, map, path,
            $"'{domain.Name}' runs on host '{domain.Host}', not on the device's host '{device.Host}'");
        return domain;
    }

    private static void CheckDma(DeviceSpec device, string path, SourceMap map)
    {
        Rule.NotNegative(device.DmaPerSecond, map, SourceMap.Child(path, "dma-rate"));
        var share = device.WriteShare;
        Rule.That(share is >= 0 and <= 1, map, SourceMap.Child(path, "write-share"), $"{Rule.Percent(share)} is outside [0%, 100%]");
    }

    private static void CheckFlush(DeviceSpec device, string path, SourceMap map)
    {
        var flush = SourceMap.Child(path, "flush");
        if (!map.Has(flush)) return;
        Rule.That(device.Ats, map, flush, "only a device with a Device-TLB of its own flushes one: add ats: true");
        var max = Migration.Xen.Iommu.InvalidationModes.AtsFlushMax;
        Rule.That(device.FlushLatency >= TimeSpan.Zero && device.FlushLatency <= max, map, flush,
            $"{Units.FormatDuration(device.FlushLatency)} is outside 0 to {Units.FormatDuration(max)}, the time the ATS specification gives a device to complete an invalidation");
    }

    private static void CheckBuffer(DeviceSpec device, DomainSpec? domain, string path, SourceMap map)
    {
        var bufferPath = SourceMap.Child(path, map.Has(SourceMap.Child(path, "buffer")) ? "buffer" : "buffer-pages");
        Rule.That(device.BufferPages >= 1, map, bufferPath, $"must be at least 1 page (is {device.BufferPages})");
        if (domain is null) return;
        var domainPages = domain.MemoryBytes / PageSize.Bytes;
        Rule.That(device.BufferPages <= domainPages, map, bufferPath,
            $"{device.BufferPages} pages is more than domain '{domain.Name}' has ({domainPages} pages)");
    }
}
