using Migration.Xen.Toolstacks;

namespace Migration.Scenarios.Generators;

/// <summary>
/// The parameters of <see cref="DatacenterGenerator"/> (YAML: <c>generator: {kind: datacenter, ...}</c>,
/// keys <c>hosts</c>, <c>domains-per-host</c>, <c>devices-per-host</c>, <c>migrations-per-host</c>,
/// <c>span</c>, <c>layout-seed</c>, <c>toolstack</c>).
/// </summary>
public sealed record DatacenterParameters
{
    public const int HostsMin = 2;
    public const int HostsMax = 4096;

    /// <summary>So that the largest domains (16 GiB) always fit on a host's 256 GiB.</summary>
    public const int DomainsPerHostMax = (int)(DatacenterGenerator.HostMemoryBytes / DatacenterGenerator.DomainMemoryMaxBytes);

    /// <summary>Keeps each device on its own PCI bus number (0000:01:00.0 up to 0000:40:00.0).</summary>
    public const int DevicesPerHostMax = 64;

    public const double MigrationsPerHostMax = 100;

    public static readonly TimeSpan SpanMax = TimeSpan.FromDays(365);

    public int Hosts { get; init; } = 64;

    public int DomainsPerHost { get; init; } = 8;

    /// <summary>The first device of a host is assigned to one of its domains; the others are free spares.</summary>
    public int DevicesPerHost { get; init; } = 2;

    /// <summary>The number of migrations is round(Hosts x this): 200 for 64 hosts by default.</summary>
    public double MigrationsPerHost { get; init; } = 3.125;

    /// <summary>Migrations start in [1 s, 1 s + Span).</summary>
    public TimeSpan Span { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Chooses the layout; independent of any run's seed.</summary>
    public long LayoutSeed { get; init; } = 1;

    public ToolstackKind Toolstack { get; init; } = ToolstackKind.Xl;

    /// <summary>round(Hosts x MigrationsPerHost), halves away from zero.</summary>
    public int MigrationCount => (int)Math.Round(Hosts * MigrationsPerHost, MidpointRounding.AwayFromZero);

    internal IEnumerable<GeneratorProblem> Problems()
    {
        var ranges = new[]
        {
            GeneratorProblem.Range("hosts", Hosts, HostsMin, HostsMax),
            GeneratorProblem.Range("domains-per-host", DomainsPerHost, 0, DomainsPerHostMax),
            GeneratorProblem.Range("devices-per-host", DevicesPerHost, 0, DevicesPerHostMax),
            GeneratorProblem.Range("migrations-per-host", MigrationsPerHost, 0, MigrationsPerHostMax),
        };
        foreach (var problem in ranges.OfType<GeneratorProblem>()) yield return problem;
        if (Span <= TimeSpan.Zero || Span > SpanMax) yield return new("span", $"{Span} is outside (0, {SpanMax.TotalDays} days]");
        if (MigrationCount > 0 && DomainsPerHost == 0) yield return new("migrations-per-host", "there are no domains to migrate (domains-per-host is 0)");
    }
}
