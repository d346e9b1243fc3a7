namespace Migration.Scenarios.Generators;

/// <summary>The parameters of <see cref="SimGridGenerator"/> (YAML: <c>generator: {kind: simgrid, hosts, domains}</c>).</summary>
public sealed record SimGridParameters
{
    public const int HostsMin = 2;
    public const int HostsMax = 4096;
    public const int DomainsMax = 100_000;

    public int Hosts { get; init; } = 64;

    public int Domains { get; init; } = 200;

    internal IEnumerable<GeneratorProblem> Problems() => new[]
    {
        GeneratorProblem.Range("hosts", Hosts, HostsMin, HostsMax),
        GeneratorProblem.Range("domains", Domains, 0, DomainsMax),
    }.OfType<GeneratorProblem>();
}
