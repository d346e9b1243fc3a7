using Migration.Scenarios;
using Migration.Simulation.Reports;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>The result hash identifies the result: two runs whose reports differ never share it; the scenario is part of it.</summary>
public sealed class ResultHashTests
{
    [Test]
    public void TwoRunsThatExecuteAlike_ButAreClassifiedApart_HaveDifferentHashes()
    {
        // Both vetoed at log-dirty by the same messages; only the counterfactual run tells them apart:
        // the writer would have corrupted pages, the reported writer would have completed.
        var writer = Run(OneGuest(device: ", dma: read-write, dma-rate: 2000/s", sourceExtra: ", iommu: amd"), VetoPolicy.HasDevices);
        var reported = Run(OneGuest(device: ", dma: read-write, dma-rate: 2000/s, emulator-reports-dirty: true", sourceExtra: ", iommu: amd"), VetoPolicy.HasDevices);
        Assert.That(Only(writer).Outcome, Is.EqualTo(Outcome.Vetoed), Describe(Only(writer), writer));
        Assert.That(Only(reported).Outcome, Is.EqualTo(Outcome.NeedlessVeto), Describe(Only(reported), reported));
        Assert.That(reported.ExecutionDigest, Is.EqualTo(writer.ExecutionDigest), "the executions alone cannot tell them apart");
        Assert.That(reported.ResultHash, Is.Not.EqualTo(writer.ResultHash));
    }

    [Test]
    public void TheScenarioItself_IsPartOfTheHash()
    {
        var plain = Run(OneGuest(), VetoPolicy.HasDevices);
        var described = Run(Inline("description: the same guest, described\n" + OneGuest().Yaml), VetoPolicy.HasDevices);
        Assert.That(ReportJson.Write(described with { ResultHash = "" }), Is.EqualTo(ReportJson.Write(plain with { ResultHash = "" })), "the reports are the same");
        Assert.That(described.ResultHash, Is.Not.EqualTo(plain.ResultHash));
    }

    [Test]
    public void EveryBuiltIn_UnderEveryPolicy_HasADistinctHash_WhenItsReportsDiffer()
    {
        var byHash = new Dictionary<string, string>();
        foreach (var name in ScenarioCatalog.BuiltInNames.Where(n => n is not "datacenter" and not "simgrid-200"))
        {
            foreach (var policy in Enum.GetValues<VetoPolicy>())
            {
                var report = Run(BuiltIn(name), policy);
                var content = ReportJson.Write(report with { ResultHash = "" });
                if (byHash.TryGetValue(report.ResultHash, out var earlier))
                    Assert.That(content, Is.EqualTo(earlier), $"{name} under {policy} shares hash {report.ResultHash} with a different report");
                byHash[report.ResultHash] = content;
            }
        }
        Assert.That(byHash, Has.Count.GreaterThan(50));
    }
}
