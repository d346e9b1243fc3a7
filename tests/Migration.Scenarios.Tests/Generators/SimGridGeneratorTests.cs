using Migration.Scenarios.Generators;
using Migration.Xen;
using Migration.Xen.Toolstacks;

namespace Migration.Scenarios.Tests.Generators;

public class SimGridGeneratorTests
{
    [Test]
    public void DefaultSimGrid_Has64Hosts_200Domains_200Migrations_AndNothingElse()
    {
        var scenario = SimGridGenerator.Generate(new SimGridParameters());

        Assert.That(scenario.Hosts, Has.Count.EqualTo(64));
        Assert.That(scenario.Domains, Has.Count.EqualTo(200));
        Assert.That(scenario.Migrations, Has.Count.EqualTo(200));
        Assert.That(scenario.Devices, Is.Empty);
        Assert.That(scenario.Faults, Is.Empty);
    }

    [Test]
    public void SimGridNetwork_Is125MBps_With50usLatency()
    {
        var network = SimGridGenerator.Generate(new SimGridParameters()).Network;

        Assert.That(network.BytesPerSecond, Is.EqualTo(125_000_000));
        Assert.That(network.Latency, Is.EqualTo(TimeSpan.FromMicroseconds(50)));
    }

    [Test]
    public void SimGridHosts_AreIdenticalXlIntelHosts_NamedByIndex()
    {
        var hosts = SimGridGenerator.Generate(new SimGridParameters()).Hosts;

        Assert.That(hosts.Select(h => h.Name), Is.EqualTo(Enumerable.Range(0, 64).Select(i => $"host-{i}")));
        Assert.That(hosts.Select(h => (h.Toolstack, h.IommuVendor)).Distinct(), Is.EqualTo(new[] { (ToolstackKind.Xl, IommuVendor.Intel) }));
        Assert.That(hosts.Select(h => h.MemoryBytes).Distinct(), Is.EqualTo(new[] { 1L << 40 }));
    }

    [Test]
    public void SimGridDomain_i_Is4GiB_OneVcpu_Dirtying30PercentOfTheLink_OnHost_iMod64()
    {
        var domains = SimGridGenerator.Generate(new SimGridParameters()).Domains;

        for (var i = 0; i < domains.Count; i++)
        {
            var domain = domains[i];
            Assert.That(domain.Name, Is.EqualTo($"vm-{i}"));
            Assert.That(domain.Host, Is.EqualTo($"host-{i % 64}"));
            Assert.That(domain.MemoryBytes, Is.EqualTo(4L << 30));
            Assert.That(domain.Vcpus, Is.EqualTo(1));
            Assert.That(domain.Workload.DirtyBytesPerSecond, Is.EqualTo(37_500_000));
            Assert.That(domain.Workload.WorkingSetFraction, Is.EqualTo(0.9));
        }
    }

    [Test]
    public void SimGridMigration_i_StartsAtHalf_i_Seconds_ToHost_iPlusOneMod64()
    {
        var migrations = SimGridGenerator.Generate(new SimGridParameters()).Migrations;

        for (var i = 0; i < migrations.Count; i++)
        {
            Assert.That(migrations[i].Domain, Is.EqualTo($"vm-{i}"));
            Assert.That(migrations[i].To, Is.EqualTo($"host-{(i + 1) % 64}"));
            Assert.That(migrations[i].At, Is.EqualTo(TimeSpan.FromSeconds(0.5 * i)));
            Assert.That(migrations[i].UnplugReplug, Is.False);
        }
    }

    [Test]
    public void SimGridHosts_GrowWhenOneTebibyteCouldNotHoldEveryDomain()
    {
        var scenario = SimGridGenerator.Generate(new SimGridParameters { Hosts = 2, Domains = 1000 });

        Assert.That(scenario.Hosts[0].MemoryBytes, Is.EqualTo(1000 * (4L << 30)));
    }

    [Test]
    public void SimGridFromYaml_EqualsTheGenerator_WithTheFilesName()
    {
        var fromYaml = ScenarioLoader.Load("generator:\n  kind: simgrid\n  hosts: 16\n  domains: 40\n", "sg.yaml");
        var direct = SimGridGenerator.Generate(new SimGridParameters { Hosts = 16, Domains = 40 }) with { Name = "sg" };

        Assert.That(ScenarioDump.Of(fromYaml), Is.EqualTo(ScenarioDump.Of(direct)));
    }

    [Test]
    public void SimGridWithOneHost_IsRejected_FromCode() =>
        Assert.That(() => SimGridGenerator.Generate(new SimGridParameters { Hosts = 1 }),
            Throws.TypeOf<Model.ScenarioException>().With.Message.EqualTo("simgrid generator: hosts: 1 is outside [2, 4096]"));
}
