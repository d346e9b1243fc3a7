using Migration.Scenarios.Model;

namespace Migration.Simulation.Running;

/// <summary>A loaded scenario with the YAML text it came from (stored with journaled runs).</summary>
public sealed record ScenarioText(Scenario Scenario, string Yaml);
