using Migration.Scenarios.Model;
using Migration.Xen.Dma;

namespace Migration.Scenarios.Generators;

/// <summary>
/// The datacenter's devices: per host, the first is passed through to one of its domains (so no
/// domain gets two) and the rest are free spares. Assigned devices are 40% read-write, 30% read-only
/// (a tenth of those lying: declared read-only yet writing) and 30% without bus mastering.
/// </summary>
internal static class DatacenterDevices
{
    private const int DmaPerSecondMin = 500;
    private const int DmaPerSecondMax = 5000;
    private const int BufferPagesMin = 64;
    private const int BufferPagesMax = 1024;
    private const int ReadWritePercent = 40;
    private const int ReadOnlyPercent = 30;

    public static IReadOnlyList<DeviceSpec> Make(DatacenterParameters parameters, IReadOnlyList<DomainSpec> domains, SplitMix64 random)
    {
        var devices = new List<DeviceSpec>(parameters.Hosts * parameters.DevicesPerHost);
        for (var host = 0; host < parameters.Hosts; host++)
        {
            for (var slot = 0; slot < parameters.DevicesPerHost; slot++)
            {
                var spare = new DeviceSpec { Bdf = $"0000:{slot + 1:x2}:00.0", Host = DatacenterGenerator.HostName(host) };
                if (slot > 0 || parameters.DomainsPerHost == 0)
                {
                    devices.Add(spare);
                    continue;
                }
                var domain = domains[host * parameters.DomainsPerHost + random.NextInt(0, parameters.DomainsPerHost - 1)];
                devices.Add(Assign(spare, domain, random));
            }
        }
        return devices;
    }

    /// <summary>A domain with a passed-through device has its IOMMU on, as xl would set it.</summary>
    public static IReadOnlyList<DomainSpec> EnableIommuOfAssigned(IReadOnlyList<DomainSpec> domains, IReadOnlyList<DeviceSpec> devices)
    {
        var assigned = devices.Select(d => d.Domain).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return domains.Select(d => assigned.Contains(d.Name) ? d with { IommuEnabled = true } : d).ToArray();
    }

    private static DeviceSpec Assign(DeviceSpec device, DomainSpec domain, SplitMix64 random)
    {
        var assigned = device with { Domain = domain.Name, BufferPages = random.NextInt(BufferPagesMin, BufferPagesMax) };
        var roll = random.NextInt(0, 99);
        if (roll < ReadWritePercent) return ReadWrite(assigned, random);
        if (roll < ReadWritePercent + ReadOnlyPercent) return ReadOnly(assigned, random);
        return assigned with { BusMaster = false, Dma = DmaPattern.None };
    }

    private static DeviceSpec ReadWrite(DeviceSpec device, SplitMix64 random) => device with
    {
        Dma = DmaPattern.ReadWrite,
        DmaPerSecond = random.NextInt(DmaPerSecondMin, DmaPerSecondMax),
        EmulatorReportsDirty = random.OneIn(4),
    };

    private static DeviceSpec ReadOnly(DeviceSpec device, SplitMix64 random)
    {
        var lying = random.OneIn(10);
        return device with
        {
            Dma = lying ? DmaPattern.ReadWrite : DmaPattern.ReadOnly,
            DmaPerSecond = random.NextInt(DmaPerSecondMin, DmaPerSecondMax),
            DeclaredReadOnly = true,
        };
    }
}
