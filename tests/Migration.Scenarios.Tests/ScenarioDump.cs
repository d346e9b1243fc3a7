using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests;

/// <summary>A canonical text of a whole scenario (the records' own ToString, list by list), to compare two scenarios.</summary>
internal static class ScenarioDump
{
    public static string Of(Scenario scenario) => string.Join('\n',
    [
        $"{scenario.Name} | {scenario.Description} | {scenario.Origin} | {scenario.PreCopy} | {scenario.Network}",
        .. scenario.Hosts.Select(h => h.ToString()),
        .. scenario.Domains.Select(d => d.ToString()),
        .. scenario.Devices.Select(d => d.ToString()),
        .. scenario.Migrations.Select(m => m.ToString()),
        .. scenario.Faults.Select(f => f.ToString()),
    ]);
}
