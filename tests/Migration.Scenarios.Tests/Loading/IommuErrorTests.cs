namespace Migration.Scenarios.Tests.Loading;

/// <summary>The scenario's <c>iommu:</c> section and a domain's <c>io:</c>: read, and each problem named at its line and field.</summary>
public class IommuErrorTests
{
    private static string WithIommu(string failures) => BaseYaml.Text + "\niommu:\n  failures: " + failures + "\n";

    private static string WithIo(string io) => BaseYaml.Text.Replace("    memory: 2GiB\n", "    memory: 2GiB\n    io: " + io + "\n", StringComparison.Ordinal);

    [Test]
    public void Failures_AndIo_AreRead()
    {
        var scenario = ScenarioLoader.Load(WithIo("{ grants: 200/s, balloon: 16 }").Replace("name: base", "name: base\niommu:\n  failures: { probability: 0.5%, calls: [3, 17] }", StringComparison.Ordinal), "io.yaml");
        Assert.That(scenario.Iommu!.FailureProbability, Is.EqualTo(0.005).Within(1e-12));
        Assert.That(scenario.Iommu.FailingCalls, Is.EqualTo(new long[] { 3, 17 }));
        var cache = scenario.Domains.Single(d => d.Name == "cache");
        Assert.That((cache.Io!.GrantsPerSecond, cache.Io.BalloonPagesPerSecond), Is.EqualTo((200.0, 16.0)));
        Assert.That(scenario.Domains.Single(d => d.Name == "web").Io, Is.Null, "no io: nothing");
    }

    [Test]
    public void ScenarioWithoutIommu_InjectsNoFailure() =>
        Assert.That(ScenarioLoader.Load(BaseYaml.Text, "base.yaml").Iommu, Is.Null);

    [Test]
    public void AProbabilityAboveOne_IsReported() =>
        LoadError.AssertAt(WithIommu("{ probability: 150% }"), "150%", "iommu.failures.probability", "must be a probability in [0%, 100%] (is 150%)");

    [Test]
    public void ACallNumberedZero_IsReported() =>
        LoadError.AssertAt(WithIommu("{ calls: [0] }"), "calls", "iommu.failures.calls[0]", "calls are numbered from 1 (is 0)");

    [Test]
    public void ACallListedTwice_IsReported() =>
        LoadError.AssertAt(WithIommu("{ calls: [4, 9, 4] }"), "calls", "iommu.failures.calls[2]", "call 4 is listed twice");

    [Test]
    public void CallsThatAreNotAList_AreReported() =>
        LoadError.AssertAt(WithIommu("{ calls: 4 }"), "calls", "iommu.failures.calls", "expected a list");

    [Test]
    public void ACallThatIsNotANumber_IsReported() =>
        LoadError.AssertAt(WithIommu("{ calls: [four] }"), "calls", "iommu.failures.calls[0]", "four");

    [Test]
    public void AnUnknownFailureKey_IsReported() =>
        LoadError.AssertAt(WithIommu("{ rate: 1 }"), "rate", "iommu.failures.rate", "unknown key");

    [Test]
    public void ANegativeGrantRate_IsReported() =>
        LoadError.AssertAt(WithIo("{ grants: -5/s }"), "grants", "domains[1].io.grants");

    [Test]
    public void ARateTooSmallToCall_IsReported() =>
        LoadError.AssertAt(WithIo("{ grants: 0.0000001/s }"), "grants", "domains[1].io.grants", "is less than 0.001/s (write 0 for none)");

    [Test]
    public void AProbabilityTooSmallToDraw_IsReported() =>
        LoadError.AssertAt(WithIommu("{ probability: 0.00000001 }"), "probability", "iommu.failures.probability", "is less than 0.0001%");

    [Test]
    public void ACallPastTheLastLookedAt_IsReported() =>
        LoadError.AssertAt(WithIommu("{ calls: [20000000] }"), "calls", "iommu.failures.calls[0]", "past the last the simulation looks at (10,000,000)");

    [Test]
    public void AnUnknownIoKey_IsReported() =>
        LoadError.AssertAt(WithIo("{ disk: 5/s }"), "disk", "domains[1].io.disk", "unknown key");
}
