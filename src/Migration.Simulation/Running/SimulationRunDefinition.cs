using Migration.Actors;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;
using Migration.Scenarios;
using Migration.Scenarios.Model;
using Migration.Simulation.World;

namespace Migration.Simulation.Running;

/// <summary>How JournalReplay rebuilds a stored simulation run: its scenario text, options and seed come from the runs table.</summary>
public sealed class SimulationRunDefinition : IRunDefinition
{
    public EventSerializer Serializer { get; } = SimulationSerializer.Create();

    public ActorSystem CreateSystem(RunRecord run)
    {
        var (scenario, options) = Read(run);
        return SimulationRun.CreateSystem(scenario, options);
    }

    public void Populate(ActorSystem system, RunRecord run)
    {
        var (scenario, options) = Read(run);
        SimulationRun.Populate(system, scenario, options);
    }

    public TimeSpan Duration(RunRecord run) => SimulationRun.Horizon(Read(run).Scenario);

    public string ResultHash(ActorSystem system) => SimulationRun.ResultHash(system, SimulationWorld.Of(system));

    public static (Scenario Scenario, RunOptions Options) Read(RunRecord run)
    {
        var settings = RunSettings.Of(run);
        try
        {
            return (ScenarioLoader.Load(settings.ScenarioYaml, settings.Scenario), settings.ToOptions(run.Seed));
        }
        catch (ScenarioException e)
        {
            throw new JournalException($"run '{run.RunId}' stores a scenario this build cannot load: {e.Message}", e);
        }
    }
}
