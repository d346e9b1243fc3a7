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
        var planner = new WindowPlanner(lookaheadTicks: 10, horizonTicks: 100, commitIntervalTicks: 0);
        Assert.That(planner.Next(40), Is.EqualTo(((long?)null, (long?)50)));
        Assert.That(planner.Next(95), Is.EqualTo(((long?)null, (long?)101)), "the last window ends just after the horizon");
        Assert.That(planner.Next(101), Is.EqualTo(((long?)null, (long?)null)), "past the run");
        Assert.That(planner.Next(null), Is.EqualTo(((long?)null, (long?)null)), "nothing pending");
    }

    [Test]
    public void WithAJournal_WindowsStopAtEachBoundary_AndEmptyBoundariesFoldIntoOneCommit()
    {
        var planner = new WindowPlanner(lookaheadTicks: 10, horizonTicks: 100, commitIntervalTicks: 25);
        Assert.That(planner.Next(20), Is.EqualTo(((long?)null, (long?)25)), "clipped to the first boundary");
        Assert.That(planner.Next(27), Is.EqualTo(((long?)25, (long?)37)), "commit 25, then on");
        Assert.That(planner.Next(80), Is.EqualTo(((long?)75, (long?)90)), "50 and 75 had nothing before them: one commit at 75");
        Assert.That(planner.Next(95), Is.EqualTo(((long?)null, (long?)100)));
        Assert.That(planner.Next(null), Is.EqualTo(((long?)100, (long?)null)), "idle to the end: the horizon's boundary is committed");
        Assert.That(planner.Next(null), Is.EqualTo(((long?)null, (long?)null)), "and only once");
    }
}
