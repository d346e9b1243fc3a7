using Migration.Simulation.Actors;
using Migration.Simulation.Running;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

public sealed class HardwareDomainTests
{
    [Test]
    public void EveryHost_RunsAHardwareDomain_ThatNoMigrationMoves()
    {
        var scenario = BuiltIn("xl-vs-xapi");
        var options = new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 1 };
        var system = SimulationRun.CreateSystem(scenario.Scenario, options);
        var world = SimulationRun.Populate(system, scenario.Scenario, options);
        system.RunUntil(SimulationRun.Horizon(scenario.Scenario));
        for (var host = 0; host < scenario.Scenario.Hosts.Count; host++)
        {
            var name = ToolstackActor.HardwareDomainName(scenario.Scenario.Hosts[host].Name);
            Assert.That(world.Census.RunningCopies(name), Is.EqualTo(1), name);
            Assert.That(world.Census.HostOf(name), Is.EqualTo(host), name);
        }
        Assert.That(system.ErrorCount, Is.Zero);
    }
}
