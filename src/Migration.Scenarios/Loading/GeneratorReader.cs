using Migration.Scenarios.Generators;
using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads <c>generator:</c>, checks its parameters at their lines and runs the generator it names.</summary>
internal static class GeneratorReader
{
    private const string SimGrid = "simgrid";
    private const string Datacenter = "datacenter";

    private static readonly string[] Kinds = [Datacenter, SimGrid];
    private static readonly string[] SimGridKeys = ["kind", "hosts", "domains"];
    private static readonly string[] DatacenterKeys =
        ["kind", "hosts", "domains-per-host", "devices-per-host", "migrations-per-host", "span", "layout-seed", "toolstack"];

    private static readonly ScalarParser<string> KindParser = ScalarParsers.OneOf(Kinds, "a generator kind");

    public static Scenario Read(MappingReader generator, string name)
    {
        var kind = generator.Require("kind", KindParser);
        // Checks on what the generator made have no line of their own: they point at generator:.
        generator.Map.FallBackTo(generator.Line, $"generator ({kind})");
        return kind == SimGrid ? ReadSimGrid(generator, name) : ReadDatacenter(generator, name);
    }

    private static Scenario ReadSimGrid(MappingReader generator, string name)
    {
        generator.RejectUnknownKeys(SimGridKeys, " for a simgrid generator");
        var defaults = new SimGridParameters();
        var parameters = new SimGridParameters
        {
            Hosts = generator.Get("hosts", ScalarParsers.Int, defaults.Hosts),
            Domains = generator.Get("domains", ScalarParsers.Int, defaults.Domains),
        };
        ThrowFirst(generator, parameters.Problems());
        return SimGridGenerator.Build(parameters, name);
    }

    private static Scenario ReadDatacenter(MappingReader generator, string name)
    {
        generator.RejectUnknownKeys(DatacenterKeys, " for a datacenter generator");
        var defaults = new DatacenterParameters();
        var parameters = new DatacenterParameters
        {
            Hosts = generator.Get("hosts", ScalarParsers.Int, defaults.Hosts),
            DomainsPerHost = generator.Get("domains-per-host", ScalarParsers.Int, defaults.DomainsPerHost),
            DevicesPerHost = generator.Get("devices-per-host", ScalarParsers.Int, defaults.DevicesPerHost),
            MigrationsPerHost = generator.Get("migrations-per-host", ScalarParsers.Number, defaults.MigrationsPerHost),
            Span = generator.Get<TimeSpan>("span", Units.TryParseDuration, defaults.Span),
            LayoutSeed = generator.Get("layout-seed", ScalarParsers.Long, defaults.LayoutSeed),
            Toolstack = generator.Get("toolstack", ScalarParsers.Toolstack, defaults.Toolstack),
        };
        ThrowFirst(generator, parameters.Problems());
        return DatacenterGenerator.Build(parameters, name);
    }

    private static void ThrowFirst(MappingReader generator, IEnumerable<GeneratorProblem> problems)
    {
        // The first problem is enough: the parameters are few and independent.
        foreach (var problem in problems) throw generator.Error(problem.Key, problem.Message);
    }
}
