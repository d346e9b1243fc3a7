using Migration.Scenarios.Generators;
using Migration.Scenarios.Model;
using Migration.Xen;
using Migration.Xen.Dma;
using Migration.Xen.Toolstacks;

namespace Migration.Scenarios.Tests.Generators;

public class DatacenterGeneratorTests
{
    [TestCase(32, 100)]
    [TestCase(64, 200)]
    [TestCase(128, 400)]
    public void Datacenter_HasTheExpectedCounts(int hosts, int migrations)
    {
        var scenario = DatacenterGenerator.Generate(new DatacenterParameters { Hosts = hosts });

        Assert.That(scenario.Hosts, Has.Count.EqualTo(hosts));
        Assert.That(scenario.Domains, Has.Count.EqualTo(hosts * 8));
        Assert.That(scenario.Devices, Has.Count.EqualTo(hosts * 2));
        Assert.That(scenario.Devices.Count(d => d.Domain is not null), Is.EqualTo(hosts));
        Assert.That(scenario.Migrations, Has.Count.EqualTo(migrations));
        Assert.That(scenario.Faults, Is.Empty);
    }

    [TestCase(32)]
    [TestCase(64)]
    [TestCase(128)]
    public void DatacenterDomains_FitTheirHostsMemory(int hosts)
    {
        var scenario = DatacenterGenerator.Generate(new DatacenterParameters { Hosts = hosts });

        foreach (var host in scenario.Hosts)
        {
            var usedBytes = scenario.Domains.Where(d => d.Host == host.Name).Sum(d => d.MemoryBytes);
            Assert.That(usedBytes, Is.LessThanOrEqualTo(host.MemoryBytes), host.Name);
        }
    }

    [Test]
    public void DatacenterHosts_Are256GiB_ThreeInFourIntel_OneInEightWithoutTscScaling()
    {
        var scenario = DatacenterGenerator.Generate(new DatacenterParameters { Toolstack = ToolstackKind.Xapi });

        Assert.That(scenario.Hosts.All(h => h.MemoryBytes == 256L << 30 && h.SharedPageTables && h.Toolstack == ToolstackKind.Xapi));
        Assert.That(scenario.Hosts.Count(h => h.IommuVendor == IommuVendor.Amd), Is.EqualTo(16));
        Assert.That(scenario.Hosts.Count(h => h.IommuVendor == IommuVendor.Intel), Is.EqualTo(48));
        Assert.That(scenario.Hosts.Count(h => !h.TscScaling), Is.EqualTo(8));
        Assert.That(scenario.Network, Is.EqualTo(new NetworkSpec { BytesPerSecond = 1_250_000_000, Latency = TimeSpan.FromMicroseconds(50) }));
    }

    [Test]
    public void DatacenterDomains_AreDrawnWithinTheirRanges()
    {
        var domains = DatacenterGenerator.Generate(new DatacenterParameters()).Domains;

        Assert.That(domains.Select(d => d.Name), Is.EqualTo(Enumerable.Range(0, 512).Select(n => $"dom-{n}")));
        Assert.That(domains.Select(d => d.Host), Is.EqualTo(Enumerable.Range(0, 512).Select(n => $"host-{n / 8}")));
        Assert.That(domains.All(d => d.MemoryBytes % (1L << 30) == 0 && d.MemoryBytes is >= 1L << 30 and <= 16L << 30));
        Assert.That(domains.All(d => d.Vcpus is >= 1 and <= 8));
        Assert.That(domains.All(d => d.Workload.DirtyBytesPerSecond is >= 0 and <= 40_000_000));
        Assert.That(domains.All(d => d.Workload.WorkingSetFraction is >= 0.05 and <= 0.5));
        Assert.That(domains.Count(d => d.Nomigrate), Is.InRange(5, 60), "about 1 in 20 of 512");
        Assert.That(domains.Count(d => d.Tsc == TscMode.Invariant), Is.InRange(20, 90), "about 1 in 10 of 512");
    }

    [Test]
    public void DatacenterDevices_AssignOnePerHost_ToADomainOfThatHost_NeverTwoToOneDomain()
    {
        var scenario = DatacenterGenerator.Generate(new DatacenterParameters());
        var assigned = scenario.Devices.Where(d => d.Domain is not null).ToArray();
        var hostOf = scenario.Domains.ToDictionary(d => d.Name, d => d.Host);

        Assert.That(assigned.Select(d => d.Host), Is.EqualTo(scenario.Hosts.Select(h => h.Name)));
        Assert.That(assigned.All(d => hostOf[d.Domain!] == d.Host));
        Assert.That(assigned.Select(d => d.Domain).Distinct().Count(), Is.EqualTo(assigned.Length));
        Assert.That(assigned.All(d => d.BufferPages is >= 64 and <= 1024));
        Assert.That(scenario.Domains.Where(d => assigned.Any(a => a.Domain == d.Name)).All(d => d.IommuEnabled));
    }

    [Test]
    public void DatacenterDevices_MixReadWrite_ReadOnly_AndNoBusMaster()
    {
        var assigned = DatacenterGenerator.Generate(new DatacenterParameters { Hosts = 1024 }).Devices.Where(d => d.Domain is not null).ToArray();
        var readWrite = assigned.Count(d => d.BusMaster && d.Dma == DmaPattern.ReadWrite && !d.DeclaredReadOnly);
        var declaredReadOnly = assigned.Count(d => d.DeclaredReadOnly);
        var lying = assigned.Count(d => d.DeclaredReadOnly && d.Dma == DmaPattern.ReadWrite);
        var noBusMaster = assigned.Count(d => !d.BusMaster);

        Assert.That(readWrite, Is.InRange(350, 470), "about 40% of 1024");
        Assert.That(declaredReadOnly, Is.InRange(250, 370), "about 30% of 1024");
        Assert.That(lying, Is.InRange(10, 60), "about 1 in 10 of the read-only ones");
        Assert.That(noBusMaster, Is.InRange(250, 370), "about 30% of 1024");
        Assert.That(assigned.Where(d => d.Dma != DmaPattern.None).All(d => d.DmaPerSecond is >= 500 and <= 5000));
    }

    [Test]
    public void DatacenterMigrations_AreSortedInTheSpan_AndNeverToWhereTheDomainWouldBe()
    {
        var scenario = DatacenterGenerator.Generate(new DatacenterParameters { Span = TimeSpan.FromSeconds(60) });
        var hostOf = scenario.Domains.ToDictionary(d => d.Name, d => d.Host);

        Assert.That(scenario.Migrations.Select(m => m.At), Is.Ordered);
        Assert.That(scenario.Migrations.All(m => m.At >= TimeSpan.FromSeconds(1) && m.At < TimeSpan.FromSeconds(61)));
        foreach (var migration in scenario.Migrations)
        {
            Assert.That(migration.To, Is.Not.EqualTo(hostOf[migration.Domain]), $"{migration}");
            hostOf[migration.Domain] = migration.To;
        }
    }

    [TestCase(32)]
    [TestCase(64)]
    [TestCase(128)]
    public void DatacenterMigrations_MoveEverySizeEquallyOften_SoMigratedMemoryScalesWithTheirNumber(int hosts)
    {
        var scenario = DatacenterGenerator.Generate(new DatacenterParameters { Hosts = hosts });
        var memoryOf = scenario.Domains.ToDictionary(d => d.Name, d => d.MemoryBytes);
        var sizes = scenario.Domains.Select(d => d.MemoryBytes).Distinct().Count();
        var migrated = scenario.Migrations.Select(m => memoryOf[m.Domain]).ToArray();
        for (var round = 0; round + sizes <= migrated.Length; round += sizes)
        {
            Assert.That(migrated.Skip(round).Take(sizes).Distinct().Count(), Is.EqualTo(sizes), $"migrations {round} to {round + sizes - 1} move one domain of each size");
        }
        var perMigrationGib = migrated.Sum() / (double)(1L << 30) / migrated.Length;
        Assert.That(perMigrationGib, Is.InRange(8.0, 9.0), "the mean of the sizes 1 to 16 GiB is 8.5");
    }

    [Test]
    public void SameParameters_GiveTheSameScenario()
    {
        var parameters = new DatacenterParameters { Hosts = 48, LayoutSeed = 7 };

        Assert.That(ScenarioDump.Of(DatacenterGenerator.Generate(parameters)), Is.EqualTo(ScenarioDump.Of(DatacenterGenerator.Generate(parameters))));
    }

    [Test]
    public void DifferentLayoutSeeds_GiveDifferentScenarios() =>
        Assert.That(ScenarioDump.Of(DatacenterGenerator.Generate(new DatacenterParameters { LayoutSeed = 2 })),
            Is.Not.EqualTo(ScenarioDump.Of(DatacenterGenerator.Generate(new DatacenterParameters { LayoutSeed = 1 }))));

    [Test]
    public void MoreDevices_LeaveTheDomainsAsTheyWere()
    {
        var two = DatacenterGenerator.Generate(new DatacenterParameters { DevicesPerHost = 2 });
        var four = DatacenterGenerator.Generate(new DatacenterParameters { DevicesPerHost = 4 });

        Assert.That(four.Domains, Is.EqualTo(two.Domains));
        Assert.That(four.Migrations, Is.EqualTo(two.Migrations));
    }

    [Test]
    public void DatacenterFromYaml_EqualsTheGenerator_WithTheFilesName_AndItsFaults()
    {
        const string yaml = """
            name: dc
            generator:
              kind: datacenter
              hosts: 16
              domains-per-host: 4
              devices-per-host: 3
              migrations-per-host: 2
              span: 30s
              layout-seed: 9
              toolstack: device-aware
            faults:
              - kind: host-crash
                host: host-3
                at: 10s
            """;
        var parameters = new DatacenterParameters
        {
            Hosts = 16, DomainsPerHost = 4, DevicesPerHost = 3, MigrationsPerHost = 2, Span = TimeSpan.FromSeconds(30),
            LayoutSeed = 9, Toolstack = ToolstackKind.DeviceAware,
        };
        var expected = DatacenterGenerator.Generate(parameters) with
        {
            Name = "dc",
            Faults = [new FaultSpec { Kind = FaultKind.HostCrash, Host = "host-3", At = TimeSpan.FromSeconds(10) }],
        };

        Assert.That(ScenarioDump.Of(ScenarioLoader.Load(yaml, "dc.yaml")), Is.EqualTo(ScenarioDump.Of(expected)));
    }

    [Test]
    public void NetworkWrittenBesideAGenerator_OverridesOnlyWhatItSays()
    {
        var scenario = ScenarioLoader.Load("generator:\n  kind: datacenter\n  hosts: 4\nnetwork:\n  bandwidth: 1Gbit/s\n", "dc.yaml");

        Assert.That(scenario.Network, Is.EqualTo(new NetworkSpec { BytesPerSecond = 125_000_000, Latency = TimeSpan.FromMicroseconds(50) }));
    }
}
