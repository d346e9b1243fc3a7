using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>seeds/001: a DMA write the IOMMU cannot translate (shared page tables write-protected for log-dirty) is terminated or stalls the device.</summary>
public sealed class TranslationFaultTests
{
    private static ScenarioText Faulting(string iommu = "") => Inline($$"""
        {{iommu}}
        hosts:
          - { name: a, memory: 16GiB, shared-page-tables: true }
          - { name: b, memory: 16GiB }
        domains:
          - { name: guest, host: a, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% } }
        devices:
          - { bdf: '0000:05:00.0', host: a, domain: guest, dma: read-write, dma-rate: 2000/s }
          - { bdf: '0000:05:00.0', host: b }
        migrations:
          - { domain: guest, to: b, at: 1s }
        """);

    private static RunReport Run(ScenarioText scenario) => Simulator.Run(scenario, new RunOptions { Policy = VetoPolicy.ToolstackDecides });

    [Test]
    public void Terminated_EveryWriteFaults_AndTheDeviceGoesOn()
    {
        var report = Run(Faulting());
        var m = Only(report);
        Assert.That(m.DmaFaults, Is.GreaterThan(1000), Describe(m, report));
        Assert.That(m.DevicesStalled, Is.Zero);
    }

    [Test]
    public void Stalled_TheFirstFaultStopsTheDevice_SoThereIsNoStorm()
    {
        var report = Run(Faulting("iommu: { translation-faults: stall }"));
        var m = Only(report);
        Assert.That((m.DmaFaults, m.DevicesStalled), Is.EqualTo((1L, 1)), Describe(m, report));
        Assert.That(Json(report).GetProperty("migrations")[0].GetProperty("devicesStalled").GetInt32(), Is.EqualTo(1));
        Assert.That(report.ResultHash, Is.Not.EqualTo(Run(Faulting()).ResultHash));
    }

    [Test]
    public void AStalledRun_IsTheSameOnTwoPartitions()
    {
        var scenario = Faulting("iommu: { translation-faults: stall }").Scenario;
        var options = new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 2 };
        var whole = Simulator.Execute(scenario, options);
        var split = Distributed.PartitionedRun.Execute(scenario, options, [[0], [1]], out _);
        Assert.That(ReportJson.Write(split), Is.EqualTo(ReportJson.Write(whole)), "seed 2");
    }
}
