using Migration.Scenarios.Tests.Loading;

namespace Migration.Scenarios.Tests.Generators;

public class GeneratorErrorTests
{
    [Test]
    public void GeneratorBesideHosts_IsReported_AtTheGenerator() =>
        LoadError.AssertAt("hosts:\n  - name: h1\n    memory: 1GiB\ngenerator:\n  kind: simgrid\n", "generator:", "generator", "cannot be combined with hosts: (line 1)");

    [Test]
    public void UnknownGeneratorKind_IsReported_WithTheKinds() =>
        LoadError.AssertAt("generator:\n  kind: cloud\n", "cloud", "generator.kind", "'cloud' is not a generator kind (valid: datacenter, simgrid)");

    [Test]
    public void GeneratorWithoutKind_IsReported() =>
        LoadError.AssertAtLine("generator:\n  hosts: 4\n", 1, "generator.kind", "is required");

    [Test]
    public void DatacenterKeyInASimGridGenerator_IsReported_WithTheSimGridKeys() =>
        LoadError.AssertAt("generator:\n  kind: simgrid\n  domains-per-host: 4\n", "domains-per-host", "generator.domains-per-host",
            "unknown key for a simgrid generator (valid keys: kind, hosts, domains)");

    [Test]
    public void TooManyDomainsPerHost_IsReported_AtTheParameter() =>
        LoadError.AssertAt("generator:\n  kind: datacenter\n  domains-per-host: 17\n", "17", "generator.domains-per-host", "17 is outside [0, 16]");

    [Test]
    public void ZeroSpan_IsReported_AtTheParameter() =>
        LoadError.AssertAt("generator:\n  kind: datacenter\n  span: 0s\n", "span", "generator.span", "is outside (0, 365 days]");

    [Test]
    public void MigrationsWithoutDomains_AreReported() =>
        LoadError.AssertAtLine("generator:\n  kind: datacenter\n  domains-per-host: 0\n", 1, "generator.migrations-per-host", "no domains to migrate");

    [Test]
    public void FaultOnAHostTheGeneratorDidNotMake_IsReported_AtTheFault() =>
        LoadError.AssertAt("generator:\n  kind: simgrid\n  hosts: 4\nfaults:\n  - kind: host-crash\n    host: host-4\n    at: 1s\n", "host: host-4",
            "faults[0].host", "'host-4' is not a host of this scenario (hosts: host-0, host-1, host-2, host-3)");
}
