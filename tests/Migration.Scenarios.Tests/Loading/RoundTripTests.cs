using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Dma;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Scenarios.Tests.Loading;

public class RoundTripTests
{
    private const string Full = """
        # every key, none at its default
        name: full-example
        description: "one line"
        origin: "xen-devel, 2015"
        precopy: pre-4.6
        network:
          bandwidth: 100Mbit/s
          latency: 2ms
        hosts:
          - name: h1
            iommu: amd
            shared-page-tables: false
            tsc-scaling: false
            tsc-khz: 2900000
            memory: 64GiB
            toolstack: xapi
            iommu-lifetime: assignment
          - name: h2
            iommu: arm
            memory: 32GiB
            toolstack: device-aware
          - name: h3
            memory: 16GiB
        domains:
          - name: web
            host: h1
            memory: 1GiB
            vcpus: 2
            workload:
              dirty-rate: 10MB/s
              working-set: 50%
            iommu: true
            passthrough: sync_pt
            mem-sharing: true
            mem-paging: true
            nomigrate: true
            tsc: invariant
          - name: cache
            host: h2
            memory: 512MiB
          - name: pod
            host: h1
            memory: 256MiB
            populate-on-demand: true
            tsc: emulated
        devices:
          - bdf: "0000:03:00.0"
            host: h1
            domain: web
            bus-master: false
            dma: read-write
            dma-rate: 2000/s
            write-share: 75%
            buffer: 2MiB
            declared-read-only: true
            emulator-reports-dirty: true
          - bdf: 0000:04:00.0
            host: h2
            dma: read-only
            buffer-pages: 64
        migrations:
          - domain: web
            to: h3
            at: 1.5s
            unplug-replug: true
        faults:
          - kind: link-down
            host: h1
            peer: h2
            at: 5s
            for: 2s
          - kind: host-crash
            host: h2
            at: 10s
        events:
          - kind: hot-plug
            at: 2s
            host: h2
            device: 0000:04:00.0
            domain: cache
          - kind: hot-unplug
            at: 3s
            host: h1
            device: 0000:03:00.0
          - kind: mem-sharing
            at: 4s
            domain: pod
          - kind: mem-paging
            at: 4.5s
            domain: pod
          - kind: device-broken
            at: 6s
            host: h1
            device: 0000:03:00.0
        """;

    [Test]
    public void FullScenario_IsRead_WithEveryFieldAsWritten()
    {
        var scenario = ScenarioLoader.Load(Full, "full.yaml");

        Assert.That(scenario.Name, Is.EqualTo("full-example"));
        Assert.That(scenario.Description, Is.EqualTo("one line"));
        Assert.That(scenario.Origin, Is.EqualTo("xen-devel, 2015"));
        Assert.That(scenario.PreCopy, Is.EqualTo(PreCopyPolicyKind.Pre46));
        Assert.That(scenario.Network, Is.EqualTo(new NetworkSpec { BytesPerSecond = 12_500_000, Latency = TimeSpan.FromMilliseconds(2) }));
        Assert.That(scenario.Hosts, Is.EqualTo(ExpectedHosts));
        Assert.That(scenario.Domains, Is.EqualTo(ExpectedDomains));
        Assert.That(scenario.Devices, Is.EqualTo(ExpectedDevices));
        Assert.That(scenario.Migrations, Is.EqualTo(ExpectedMigrations));
        Assert.That(scenario.Faults, Is.EqualTo(ExpectedFaults));
        Assert.That(scenario.Events, Is.EqualTo(ExpectedEvents));
    }

    [Test]
    public void MinimalScenario_GetsTheDocumentedDefaults_AndItsNameFromTheFile()
    {
        var scenario = ScenarioLoader.Load("hosts:\n  - name: h1\n    memory: 4GiB\n", "dir/minimal.yaml");

        Assert.That(scenario.Name, Is.EqualTo("minimal"));
        Assert.That(scenario.Network, Is.EqualTo(new NetworkSpec { BytesPerSecond = 125_000_000, Latency = TimeSpan.FromMicroseconds(100) }));
        Assert.That(scenario.PreCopy, Is.EqualTo(PreCopyPolicyKind.Xen));
        Assert.That(scenario.Hosts, Is.EqualTo(new[] { new HostSpec { Name = "h1", MemoryBytes = 4L << 30 } }));
        Assert.That(scenario.Domains, Is.Empty);
        Assert.That(scenario.Devices, Is.Empty);
        Assert.That(scenario.Migrations, Is.Empty);
        Assert.That(scenario.Faults, Is.Empty);
    }

    [Test]
    public void KeysWithoutValue_CountAsAbsent()
    {
        var scenario = ScenarioLoader.Load("description:\nhosts:\n  - name: h1\n    memory: 4GiB\n    toolstack: ~\ndomains:\n", "empty-values.yaml");

        Assert.That(scenario.Description, Is.Empty);
        Assert.That(scenario.Hosts[0].Toolstack, Is.EqualTo(ToolstackKind.Xl));
        Assert.That(scenario.Domains, Is.Empty);
    }

    [Test]
    public void LoadFile_ReadsTheFile_AndNamesTheScenarioAfterIt()
    {
        var directory = Directory.CreateTempSubdirectory("migration-scenarios-tests-");
        try
        {
            var path = Path.Combine(directory.FullName, "from-disk.yaml");
            File.WriteAllText(path, Full.Replace("name: full-example\n", "", StringComparison.Ordinal));

            var scenario = ScenarioLoader.LoadFile(path);

            Assert.That(scenario.Name, Is.EqualTo("from-disk"));
            Assert.That(scenario.Domains, Is.EqualTo(ExpectedDomains));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static readonly HostSpec[] ExpectedHosts =
    [
        new()
        {
            Name = "h1", IommuVendor = IommuVendor.Amd, SharedPageTables = false, TscScaling = false, TscKhz = 2_900_000,
            MemoryBytes = 64L << 30, Toolstack = ToolstackKind.Xapi, IommuLifetime = IommuLifetime.Assignment,
        },
        new() { Name = "h2", IommuVendor = IommuVendor.Arm, MemoryBytes = 32L << 30, Toolstack = ToolstackKind.DeviceAware },
        new() { Name = "h3", MemoryBytes = 16L << 30 },
    ];

    private static readonly DomainSpec[] ExpectedDomains =
    [
        new()
        {
            Name = "web", Host = "h1", MemoryBytes = 1L << 30, Vcpus = 2,
            Workload = new WorkloadSpec { DirtyBytesPerSecond = 10_000_000, WorkingSetFraction = 0.5 },
            IommuEnabled = true, SyncPageTables = true, MemSharing = true, MemPaging = true, Nomigrate = true, Tsc = TscMode.Invariant,
        },
        new() { Name = "cache", Host = "h2", MemoryBytes = 512L << 20 },
        new() { Name = "pod", Host = "h1", MemoryBytes = 256L << 20, PopulateOnDemand = true, Tsc = TscMode.Emulated },
    ];

    private static readonly DeviceSpec[] ExpectedDevices =
    [
        new()
        {
            Bdf = "0000:03:00.0", Host = "h1", Domain = "web", BusMaster = false, Dma = DmaPattern.ReadWrite, DmaPerSecond = 2000,
            WriteShare = 0.75, BufferPages = 512, DeclaredReadOnly = true, EmulatorReportsDirty = true,
        },
        new() { Bdf = "0000:04:00.0", Host = "h2", Dma = DmaPattern.ReadOnly, BufferPages = 64 },
    ];

    private static readonly MigrationSpec[] ExpectedMigrations =
        [new() { Domain = "web", To = "h3", At = TimeSpan.FromSeconds(1.5), UnplugReplug = true }];

    private static readonly EventSpec[] ExpectedEvents =
    [
        new() { Kind = EventKind.HotPlug, At = TimeSpan.FromSeconds(2), Host = "h2", Device = "0000:04:00.0", Domain = "cache" },
        new() { Kind = EventKind.HotUnplug, At = TimeSpan.FromSeconds(3), Host = "h1", Device = "0000:03:00.0" },
        new() { Kind = EventKind.MemSharing, At = TimeSpan.FromSeconds(4), Domain = "pod" },
        new() { Kind = EventKind.MemPaging, At = TimeSpan.FromSeconds(4.5), Domain = "pod" },
        new() { Kind = EventKind.DeviceBroken, At = TimeSpan.FromSeconds(6), Host = "h1", Device = "0000:03:00.0" },
    ];

    private static readonly FaultSpec[] ExpectedFaults =
    [
        new() { Kind = FaultKind.LinkDown, Host = "h1", Peer = "h2", At = TimeSpan.FromSeconds(5), Duration = TimeSpan.FromSeconds(2) },
        new() { Kind = FaultKind.HostCrash, Host = "h2", At = TimeSpan.FromSeconds(10) },
    ];
}
