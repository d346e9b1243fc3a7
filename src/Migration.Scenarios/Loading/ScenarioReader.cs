using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads a scenario file's root mapping into a <see cref="Scenario"/> (not yet validated).</summary>
internal static class ScenarioReader
{
    public static readonly string[] Keys =
        ["name", "description", "origin", "precopy", "network", "hosts", "domains", "devices", "migrations", "faults", "events", "iommu", "generator", "altp2m"];

    /// <summary>What a generator writes, so a file with a generator must not.</summary>
    private static readonly string[] GeneratedKeys = ["hosts", "domains", "devices", "migrations"];

    private static readonly Scenario Defaults = new() { Name = "", Hosts = [], Domains = [], Migrations = [] };

    public static Scenario Read(MappingReader root, string defaultName)
    {
        var name = root.Get("name", ScalarParsers.Text, defaultName);
        var generator = root.Child("generator", null);
        var layout = generator is null ? ReadLayout(root, name) : ReadGenerated(root, generator, name);
        var network = root.Child("network", NetworkReader.Keys);
        return layout with
        {
            Description = root.Get("description", ScalarParsers.Text, Defaults.Description),
            Origin = root.Get("origin", ScalarParsers.Text, Defaults.Origin),
            PreCopy = root.Get("precopy", ScalarParsers.PreCopy, Defaults.PreCopy),
            Altp2m = root.TryRead("altp2m", ScalarParsers.Altp2m, out var altp2m) ? altp2m : null,
            Network = network is null ? layout.Network : NetworkReader.Read(network, layout.Network),
            Faults = root.Items("faults", FaultReader.Keys).Select(FaultReader.Read).ToArray(),
            Events = root.Items("events", EventReader.Keys).Select(EventReader.Read).ToArray(),
            Iommu = IommuReader.Read(root.Child("iommu", IommuReader.Keys)),
        };
    }

    private static Scenario ReadLayout(MappingReader root, string name) => new()
    {
        Name = name,
        Hosts = root.Items("hosts", HostReader.Keys).Select(HostReader.Read).ToArray(),
        Domains = root.Items("domains", DomainReader.Keys).Select(DomainReader.Read).ToArray(),
        Devices = root.Items("devices", DeviceReader.Keys).Select(DeviceReader.Read).ToArray(),
        Migrations = root.Items("migrations", MigrationReader.Keys).Select(MigrationReader.Read).ToArray(),
    };

    private static Scenario ReadGenerated(MappingReader root, MappingReader generator, string name)
    {
        foreach (var key in GeneratedKeys.Where(root.Has))
        {
            throw root.Map.ErrorAt(generator.Line, "generator",
                $"cannot be combined with {key}: (line {root.LineOf(key)}); the generator makes the hosts, domains, devices and migrations");
        }
        return GeneratorReader.Read(generator, name);
    }
}
