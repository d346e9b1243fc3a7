namespace Migration.Scenarios.Tests.Loading;

public class ValueErrorTests
{
    [Test]
    public void NegativeSize_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: -2GiB"), "-2GiB", "domains[1].memory", "must not be negative");

    [Test]
    public void ZeroHostMemory_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2\n    memory: 64GiB", "  - name: h2\n    memory: 0"), "memory: 0", "hosts[1].memory", "must be greater than 0");

    [Test]
    public void ZeroDomainMemory_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 0GiB"), "0GiB", "domains[1].memory", "must be greater than 0");

    [Test]
    public void DomainMemoryOfPartialPages_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 1000000"), "1000000", "domains[1].memory", "not a whole number of 4 KiB pages");

    [Test]
    public void SizeWithAnUnknownUnit_IsReported_WithTheUnits() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 2Gb"), "2Gb", "domains[1].memory", "unknown unit 'Gb'", "GiB");

    [Test]
    public void ZeroVcpus_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 2GiB\n    vcpus: 0"), "vcpus", "domains[1].vcpus", "must be at least 1");

    [Test]
    public void ZeroBandwidth_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("name: base", "name: base\nnetwork:\n  bandwidth: 0Gbit/s"), "bandwidth", "network.bandwidth", "must be greater than 0");

    [TestCase("iommu: nvidia", "hosts[1].iommu", "'nvidia' is not an IOMMU vendor (valid: intel, amd, arm)")]
    [TestCase("toolstack: libvirt", "hosts[1].toolstack", "'libvirt' is not a toolstack (valid: xl, xapi, device-aware)")]
    public void UnknownHostEnum_IsReported_WithTheValidNames(string line, string path, string message) =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2", $"  - name: h2\n    {line}"), line, path, message);

    [TestCase("tsc: native", "domains[1].tsc", "'native' is not a TSC mode (valid: default, emulated, invariant)")]
    [TestCase("passthrough: shared", "domains[1].passthrough", "'shared' is not a passthrough mode (valid: share_pt, sync_pt)")]
    public void UnknownDomainEnum_IsReported_WithTheValidNames(string line, string path, string message) =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", $"    memory: 2GiB\n    {line}"), line, path, message);

    [Test]
    public void UnknownDmaPattern_IsReported_WithTheValidNames() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: web\n    dma: write-only\n"), "write-only", "devices[0].dma",
            "'write-only' is not a DMA pattern (valid: none, read-only, read-write)");

    [Test]
    public void UnknownPreCopyPolicy_IsReported_WithTheValidNames() =>
        LoadError.AssertAt(BaseYaml.With("name: base", "name: base\nprecopy: post-copy"), "post-copy", "precopy", "(valid: xen, pre-4.6)");

    [Test]
    public void UnknownFaultKind_IsReported_WithTheValidNames() =>
        LoadError.AssertAt(BaseYaml.With("kind: link-down", "kind: power-loss"), "power-loss", "faults[0].kind", "(valid: link-down, host-crash)");

    [TestCase("150%", "150% is outside (0%, 100%]")]
    [TestCase("0%", "0% is outside (0%, 100%]")]
    [TestCase("1.01", "101% is outside (0%, 100%]")]
    public void WorkingSetOutsideItsRange_IsReported(string value, string message) =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", $"    memory: 2GiB\n    workload:\n      working-set: {value}"), "working-set",
            "domains[1].workload.working-set", message);

    [Test]
    public void WriteShareAboveOne_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: web\n    write-share: 120%\n"), "write-share", "devices[0].write-share",
            "120% is outside [0%, 100%]");

    [Test]
    public void ZeroWriteShare_IsAccepted() =>
        Assert.That(ScenarioLoader.Load(BaseYaml.With("    domain: web\n", "    domain: web\n    write-share: 0%\n"), "s.yaml").Devices[0].WriteShare, Is.Zero);

    [Test]
    public void DomainLargerThanItsHost_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 65GiB"), "65GiB", "domains[1].memory", "65 GiB is more than host 'h2' has (64 GiB)");

    [Test]
    public void DomainsAboveTheirHostsMemory_AreReported_AtTheDomainThatOverflows()
    {
        var yaml = BaseYaml.With("    memory: 2GiB", "    memory: 40GiB\n  - name: db\n    host: h2\n    memory: 30GiB");
        LoadError.AssertAt(yaml, "30GiB", "domains[2].memory", "the domains on host 'h2' would need 40 GiB + 30 GiB, more than its 64 GiB");
    }

    [Test]
    public void BufferLargerThanItsDomain_IsReported()
    {
        var yaml = BaseYaml.With("    domain: web\n", "    domain: web\n    buffer: 2GiB\n");
        LoadError.AssertAt(yaml, "buffer: 2GiB", "devices[0].buffer", "524288 pages is more than domain 'web' has (262144 pages)");
    }

    [Test]
    public void ZeroBufferPages_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: web\n    buffer-pages: 0\n"), "buffer-pages", "devices[0].buffer-pages", "must be at least 1 page");

    [Test]
    public void NegativeDmaRate_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: web\n    dma-rate: -5/s\n"), "dma-rate", "devices[0].dma-rate", "must not be negative");

    [Test]
    public void ZeroLinkDownDuration_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    at: 5s", "    at: 5s\n    for: 0s"), "for: 0s", "faults[0].for", "must be greater than 0");

    [Test]
    public void PeerOnAHostCrash_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("kind: link-down", "kind: host-crash"), "peer: h2", "faults[0].peer", "applies only to link-down");
}
