using Migration.Cluster.Launch;
using Migration.Cluster.Runs;
using Migration.Scenarios;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Cluster.Tests;

/// <summary>
/// Every built-in scenario under every policy, run across real node processes (3 nodes, hosts
/// placed round-robin; 4 nodes, every migration's source and destination on different nodes), gives
/// the report and result hash of the same run in one process.
/// </summary>
[NonParallelizable]
public abstract class ClusterRunTests(int nodes, string extra)
{
    private TestCluster cluster = null!;
    private RunSession session = null!;

    [OneTimeSetUp]
    public void StartCluster()
    {
        cluster = TestCluster.Up(nodes, extra);
        session = new RunSession(cluster.Config);
    }

    [OneTimeTearDown]
    public void StopCluster()
    {
        session?.Dispose();
        cluster?.Dispose();
    }

    public static IEnumerable<TestCaseData> BuiltInsUnderEveryPolicy =>
        from name in ScenarioCatalog.BuiltInNames
        from policy in Enum.GetValues<VetoPolicy>()
        select new TestCaseData(name, policy);

    [TestCaseSource(nameof(BuiltInsUnderEveryPolicy))]
    public void ACluster_PrintsTheReportAndHash_OfOneProcess(string name, VetoPolicy policy)
    {
        var source = new ScenarioText(ScenarioCatalog.LoadBuiltIn(name), ScenarioCatalog.BuiltInText(name));
        var options = new RunOptions { Policy = policy, Seed = 1 };
        var done = session.Run(RunWire.Start(source, name, builtIn: true, options), TimeSpan.FromMinutes(10));
        var clustered = ReportWire.FromMessage(done.Report);
        var single = Simulator.Run(source, options);
        Assert.That(clustered.ResultHash, Is.EqualTo(single.ResultHash), $"seed 1, {name}, {policy}\n{cluster.Logs()}");
        Assert.That(ReportJson.Write(clustered), Is.EqualTo(ReportJson.Write(single)), $"seed 1, {name}, {policy}");
        Assert.That(done.Windows, Is.GreaterThan(0));
    }

    [Test]
    public void ACluster_CarriesTheAltp2mRules_AndTheOraclesFindings()
    {
        // The v4 patch's rules travel in StartRun; the stale views its hosts find come back in each node's partition result.
        const string name = "altp2m-sharing";
        var source = new ScenarioText(ScenarioCatalog.LoadBuiltIn(name), ScenarioCatalog.BuiltInText(name));
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 3, Altp2m = Migration.Xen.Sharing.Altp2mSharingMode.PatchV4 };
        var clustered = ReportWire.FromMessage(session.Run(RunWire.Start(source, name, builtIn: true, options), TimeSpan.FromMinutes(10)).Report);
        var single = Simulator.Run(source, options);
        Assert.That(single.Findings, Has.Count.EqualTo(2), "seed 3");
        Assert.That(ReportJson.Write(clustered), Is.EqualTo(ReportJson.Write(single)), $"seed 3\n{cluster.Logs()}");
    }
}

public sealed class ThreeNodeClusterRunTests() : ClusterRunTests(3, "");

public sealed class FourNodeSeparatedClusterRunTests() : ClusterRunTests(4, "placement = separate-migrations");
