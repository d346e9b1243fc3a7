namespace Migration.Scenarios.Tests.Loading;

/// <summary>What libxl and the architecture forbid outright: PoD with passthrough, x86 features on Arm, migrations across architectures.</summary>
public class PlatformErrorTests
{
    private static string ArmH2() =>
        BaseYaml.With("  - name: h2\n    memory: 64GiB", "  - name: h2\n    memory: 64GiB\n    iommu: arm")
            .Replace("migrations:\n  - domain: web\n    to: h2\n    at: 1s\n", "", StringComparison.Ordinal);

    [Test]
    public void PopulateOnDemand_WithADeviceAtTheStart_IsRefused_AsLibxlDoes() =>
        LoadError.AssertAt(BaseYaml.With("    host: h1\n    memory: 1GiB", "    host: h1\n    memory: 1GiB\n    populate-on-demand: true"), "populate-on-demand",
            "domains[0].populate-on-demand", "libxl refuses to create a domain with populate-on-demand and PCI passthrough",
            "devices[0] (0000:03:00.0) is assigned to it at the start");

    [Test]
    public void PopulateOnDemand_WithPassthroughEnabled_IsRefused() =>
        LoadError.AssertAt(BaseYaml.With("    host: h2\n    memory: 2GiB", "    host: h2\n    memory: 2GiB\n    populate-on-demand: true\n    iommu: true"),
            "populate-on-demand", "domains[1].populate-on-demand", "this domain sets iommu: true");

    [TestCase("mem-sharing", "mem_sharing")]
    [TestCase("mem-paging", "mem_paging")]
    [TestCase("populate-on-demand", "populate-on-demand")]
    public void X86OnlyFeature_OnAnArmHost_IsRefused(string key, string feature) =>
        LoadError.AssertAt(ArmH2().Replace("    host: h2\n    memory: 2GiB", $"    host: h2\n    memory: 2GiB\n    {key}: true", StringComparison.Ordinal),
            $"{key}: true", $"domains[1].{key}", $"{feature} exists only on x86; host 'h2' is Arm");

    [Test]
    public void Tsc_OnAnArmHost_IsRefused() =>
        LoadError.AssertAt(ArmH2().Replace("    host: h2\n    memory: 2GiB", "    host: h2\n    memory: 2GiB\n    tsc: invariant", StringComparison.Ordinal),
            "tsc: invariant", "domains[1].tsc", "the TSC is x86");

    [Test]
    public void Migration_BetweenX86AndArm_IsRefused() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2\n    memory: 64GiB", "  - name: h2\n    memory: 64GiB\n    iommu: arm"), "    to: h2",
            "migrations[0].to", "host 'h2' is Arm but domain 'web' starts on x86 host 'h1'; Xen cannot migrate a domain between architectures");

    [Test]
    public void UnknownIommuLifetime_IsReported_WithTheValidOnes() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2\n    memory: 64GiB", "  - name: h2\n    memory: 64GiB\n    iommu-lifetime: forever"), "forever",
            "hosts[1].iommu-lifetime", "valid: domain, assignment");
}
