using Migration.Simulation.Running;
using Migration.Simulation.World;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>Injected faults end migrations as aborted or failed, with exactly one copy of each domain running.</summary>
public sealed class FaultTests
{
    [Test]
    public void LinkDown_Aborts_DestinationCrash_Fails_AndEveryDomainRunsExactlyOnce()
    {
        var scenario = BuiltIn("faults");
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 1 };
        var system = SimulationRun.CreateSystem(scenario.Scenario, options);
        var world = SimulationRun.Populate(system, scenario.Scenario, options);
        system.RunUntil(SimulationRun.Horizon(scenario.Scenario));
        var results = SimulationRun.Results(world);
        Assert.That(results.Single(r => r.Domain == "first").Outcome, Is.EqualTo(Outcome.Aborted), results.Single(r => r.Domain == "first").Reason);
        Assert.That(results.Single(r => r.Domain == "second").Outcome, Is.EqualTo(Outcome.Failed), results.Single(r => r.Domain == "second").Reason);
        foreach (var domain in new[] { "first", "second" })
        {
            Assert.That(world.Census.RunningCopies(domain), Is.EqualTo(1), domain);
            Assert.That(world.Census.Copies(domain), Is.EqualTo(1), domain);
            Assert.That(world.Census.HostOf(domain), Is.EqualTo(0), $"{domain} runs on on the source");
        }
        Assert.That(system.ErrorCount, Is.Zero);
    }

    [Test]
    public void Census_RefusesASecondRunningCopy()
    {
        var census = new Census();
        census.Created("guest", 0, running: true);
        census.Created("guest", 1, running: false);
        Assert.That(() => census.SetRunning("guest", 1, running: true), Throws.InvalidOperationException.With.Message.Contains("2 copies of domain guest run"));
    }

    [Test]
    public void Census_RefusesAThirdCopy_AndForgetsDestroyedOnes()
    {
        var census = new Census();
        census.Created("guest", 0, running: false);
        census.Created("guest", 1, running: false);
        Assert.That(() => census.Created("guest", 2, running: false), Throws.InvalidOperationException.With.Message.Contains("3 copies of domain guest exist"));
        Assert.That(() => census.Created("guest", 1, running: false), Throws.InvalidOperationException.With.Message.Contains("already has a copy on host 1"));
        Assert.That(census.HostOf("guest"), Is.EqualTo(0), "mid-handover, the oldest copy holds the domain");
        census.Destroyed("guest", 0);
        Assert.That((census.Copies("guest"), census.HostOf("guest")), Is.EqualTo((1, 1)));
        census.SetRunning("guest", 1, running: true);
        Assert.That(census.RunningCopies("guest"), Is.EqualTo(1));
        census.Destroyed("guest", 1);
        Assert.That((census.Copies("guest"), census.HostOf("guest")), Is.EqualTo((0, (int?)null)));
        Assert.That(() => census.Destroyed("guest", 1), Throws.InvalidOperationException.With.Message.Contains("no copy on host 1"));
    }
}
