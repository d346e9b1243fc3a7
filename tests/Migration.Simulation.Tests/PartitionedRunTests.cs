using Migration.Scenarios;
using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Simulation.Tests;

/// <summary>
/// A run whose hosts are split over partitions that share nothing (every envelope between them goes
/// through its protobuf wire form, as between processes) gives the same report and result hash as
/// the run in one: what the cluster relies on.
/// </summary>
public sealed class PartitionedRunTests
{
    public static IEnumerable<TestCaseData> BuiltInsUnderTwoPolicies =>
        from name in ScenarioCatalog.BuiltInNames
        from policy in new[] { VetoPolicy.HasDevices, VetoPolicy.ToolstackDecides }
        select new TestCaseData(name, policy);

    private static IReadOnlyCollection<int>[] RoundRobin(int hosts, int partitions) =>
        Enumerable.Range(0, partitions).Select(p => (IReadOnlyCollection<int>)Enumerable.Range(0, hosts).Where(h => h % partitions == p).ToArray())
            .Where(p => p.Count > 0).ToArray();

    [TestCaseSource(nameof(BuiltInsUnderTwoPolicies))]
    public void ThreePartitions_GiveTheReportAndHash_OfOneProcess(string name, VetoPolicy policy)
    {
        var scenario = ScenarioCatalog.LoadBuiltIn(name);
        var options = new RunOptions { Policy = policy, Seed = 3 };
        var whole = Simulator.Execute(scenario, options);
        var split = PartitionedRun.Execute(scenario, options, RoundRobin(scenario.Hosts.Count, 3), out var windows);
        Assert.That(windows, Is.GreaterThan(0));
        Assert.That(ReportJson.Write(split), Is.EqualTo(ReportJson.Write(whole)), $"seed 3, {name}, {policy}");
        Assert.That(split.ResultHash, Is.EqualTo(whole.ResultHash), $"seed 3, {name}, {policy}");
    }

    [Test]
    public void EveryHostAlone_GivesTheSameHashAsOneProcess()
    {
        var scenario = ScenarioCatalog.LoadBuiltIn("assign-during-log-dirty");
        var options = new RunOptions { Policy = VetoPolicy.BusMaster, Seed = 5 };
        var whole = Simulator.Execute(scenario, options);
        var alone = PartitionedRun.Execute(scenario, options, RoundRobin(scenario.Hosts.Count, scenario.Hosts.Count), out _);
        Assert.That(alone.ResultHash, Is.EqualTo(whole.ResultHash), "seed 5");
    }

    [Test]
    public void AWindow_RunsFromTheEarliestEvent_OneLookaheadLong_WithinTheRun()
    {
        Assert.That(PartitionedRun.NextWindowEnd(null, 10, 100), Is.Null, "nothing pending");
        Assert.That(PartitionedRun.NextWindowEnd(101, 10, 100), Is.Null, "past the run");
        Assert.That(PartitionedRun.NextWindowEnd(40, 10, 100), Is.EqualTo(50));
        Assert.That(PartitionedRun.NextWindowEnd(95, 10, 100), Is.EqualTo(101), "the last window ends just after the horizon");
    }
}
