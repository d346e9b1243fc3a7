using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// Since 4.15 nomigrate exposes invariant TSC, so the destination's TSC check applies to a nomigrate
/// domain under xl; a destination keeps it native by scaling or by running at the same frequency.
/// </summary>
public sealed class TscTests
{
    private static ScenarioText Nomigrate(string vendor, string destination) => Inline($$"""
        hosts:
          - { name: source, memory: 8GiB, iommu: {{vendor}}, tsc-khz: 2400000 }
          - { name: destination, memory: 8GiB, iommu: {{vendor}}{{destination}} }
        domains:
          - { name: guest, host: source, memory: 1GiB, nomigrate: true, workload: { dirty-rate: 4MB/s, working-set: 10% } }
        migrations:
          - { domain: guest, to: destination, at: 1s }
        """);

    [Test]
    public void ANomigrateDomain_UnderXl_IsRefused_ByADestinationThatCannotKeepItsTsc()
    {
        var report = Run(Nomigrate("intel", ", tsc-scaling: false, tsc-khz: 2000000"), VetoPolicy.HasDevices);
        var migration = JsonOf(report, "guest");
        Assert.That(Text(migration, "outcome"), Is.EqualTo("vetoed"), $"seed {report.Seed}");
        Assert.That(Text(migration, "refusedBy"), Is.EqualTo("destination-toolstack"));
        Assert.That(Text(migration, "rule"), Is.EqualTo("TSC_INCOMPATIBLE"));
        Assert.That(Text(migration, "error"), Is.EqualTo("ERROR_FAIL"));
    }

    [TestCase("intel", ", tsc-scaling: true, tsc-khz: 2000000")]
    [TestCase("intel", ", tsc-scaling: false, tsc-khz: 2400000")]
    [TestCase("arm", ", tsc-scaling: false, tsc-khz: 2000000")]
    public void ANomigrateDomain_UnderXl_Migrates_WhereItsTscStaysNative_OrThereIsNoTsc(string vendor, string destination)
    {
        var report = Run(Nomigrate(vendor, destination), VetoPolicy.HasDevices);
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed), Describe(Only(report), report));
    }
}
