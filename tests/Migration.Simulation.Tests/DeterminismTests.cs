using Migration.Simulation.Running;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

public sealed class DeterminismTests
{
    [Test]
    public void TheSameRunTwice_GivesTheSameHashAndReport_ADifferentSeed_ADifferentHash()
    {
        var scenario = BuiltIn("thread-arguments");
        var first = Run(scenario, VetoPolicy.ToolstackDecides, seed: 7);
        var again = Run(scenario, VetoPolicy.ToolstackDecides, seed: 7);
        var other = Run(scenario, VetoPolicy.ToolstackDecides, seed: 8);
        Assert.That(again.ResultHash, Is.EqualTo(first.ResultHash));
        Assert.That(again.Migrations, Is.EqualTo(first.Migrations));
        Assert.That(other.ResultHash, Is.Not.EqualTo(first.ResultHash), "seed 8 against seed 7");
    }

    [Test]
    public void ACpuOnlyScenario_AlsoDependsOnTheSeed_ThroughWhichPagesAreWritten()
    {
        var scenario = BuiltIn("iommu-no-device");
        Assert.That(Run(scenario, VetoPolicy.HasDevices, seed: 1).ResultHash, Is.Not.EqualTo(Run(scenario, VetoPolicy.HasDevices, seed: 2).ResultHash));
    }

    [Test]
    public void AJournaledRun_HasTheSameHash_AsTheSameRunWithoutJournal()
    {
        var scenario = BuiltIn("xl-vs-xapi");
        var options = new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 3 };
        var directory = Directory.CreateTempSubdirectory("migration-test-");
        try
        {
            using var store = Migration.Persistence.JournalUri.Open("sqlite:" + Path.Combine(directory.FullName, "journal.db"));
            var journaled = Simulator.Run(scenario, options, store, "run-1");
            Assert.That(journaled.ResultHash, Is.EqualTo(Simulator.Run(scenario, options).ResultHash));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [TestCase("thread-arguments")]
    [TestCase("faults")]
    [TestCase("datacenter")]
    [TestCase("assign-during-log-dirty")]
    public void WindowedExecution_GivesTheSameHashAndVerdicts_AsSequential(string name)
    {
        var scenario = BuiltIn(name);
        var sequential = Simulator.Execute(scenario.Scenario, new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 5 });
        var windowed = Simulator.Execute(scenario.Scenario, new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 5, Mode = Migration.Actors.ExecutionMode.Windowed });
        Assert.That(windowed.Migrations, Is.EqualTo(sequential.Migrations), $"seed 5, {name}");
        Assert.That(windowed.Refusals, Is.EqualTo(sequential.Refusals), $"seed 5, {name}: refusals in the same order");
        Assert.That(windowed.ResultHash, Is.EqualTo(sequential.ResultHash), $"seed 5, {name}");
    }
}
