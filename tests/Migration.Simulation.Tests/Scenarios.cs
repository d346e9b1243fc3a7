using System.Text.Json;
using Migration.Scenarios;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Tests;

/// <summary>Builds and runs the small scenarios the tests use; failures name the seed.</summary>
internal static class Scenarios
{
    public static ScenarioText BuiltIn(string name)
    {
        var yaml = ScenarioCatalog.BuiltInText(name);
        return new ScenarioText(ScenarioLoader.Load(yaml, name + ".yaml"), yaml);
    }

    public static ScenarioText Inline(string yaml) => new(ScenarioLoader.Load(yaml, "inline.yaml"), yaml);

    /// <summary>
    /// Two hosts and one 1 GiB guest migrating from <c>source</c> to <c>destination</c> at 1 s, with an
    /// optional device (and a spare one on the destination). Host and domain lines are YAML flow maps.
    /// </summary>
    public static ScenarioText OneGuest(string device = "", string domainExtra = "", string sourceExtra = "", string migrationExtra = "") => Inline($$"""
        network: { bandwidth: 1Gbit/s, latency: 100us }
        hosts:
          - { name: source, memory: 8GiB{{sourceExtra}} }
          - { name: destination, memory: 8GiB }
        domains:
          - { name: guest, host: source, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% }{{domainExtra}} }
        {{(device.Length == 0 ? "" : $$"""
        devices:
          - { bdf: "0000:01:00.0", host: source, domain: guest{{device}} }
          - { bdf: "0000:01:00.0", host: destination }
        """)}}
        migrations:
          - { domain: guest, to: destination, at: 1s{{migrationExtra}} }
        """);

    public static RunReport Run(ScenarioText scenario, VetoPolicy policy, ToolstackKind? toolstack = null, ulong seed = 1) =>
        Simulator.Run(scenario, new RunOptions { Policy = policy, Toolstack = toolstack, Seed = seed });

    public static MigrationResult Only(RunReport report)
    {
        Assert.That(report.Migrations, Has.Count.EqualTo(1), $"seed {report.Seed}");
        return report.Migrations[0];
    }

    public static MigrationResult Of(RunReport report, string domain) => report.Migrations.Single(m => m.Domain == domain);

    /// <summary>The report as `migration run --json` prints it, parsed: what the tests assert field by field.</summary>
    public static JsonElement Json(RunReport report)
    {
        using var document = JsonDocument.Parse(ReportJson.Write(report));
        return document.RootElement.Clone();
    }

    /// <summary>The JSON of migration <paramref name="domain"/> in <paramref name="report"/>.</summary>
    public static JsonElement JsonOf(RunReport report, string domain) =>
        Json(report).GetProperty("migrations").EnumerateArray().Single(m => m.GetProperty("domain").GetString() == domain);

    /// <summary>The JSON refusals of <paramref name="report"/>.</summary>
    public static JsonElement[] Refusals(RunReport report) => Json(report).GetProperty("refusals").EnumerateArray().ToArray();

    /// <summary>A string field, or null when it is JSON null.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : element.GetProperty(name).GetString();

    public static string Describe(MigrationResult m, RunReport report) =>
        $"seed {report.Seed}, policy {report.Policy}: {m.Domain} {OutcomeNames.Of(m.Outcome)} ({m.Refusal?.Rule}) {m.Reason}";
}
