namespace Migration.Scenarios.Tests.Loading;

/// <summary>The keys of shared links and CPUs: each bad value named where it is written.</summary>
public class SharingErrorTests
{
    private static string Network(string lines) => BaseYaml.With("name: base", $"name: base\nnetwork:\n{lines}");

    [Test]
    public void UnknownSharing_IsReported_WithTheValidNames() =>
        LoadError.AssertAt(Network("  sharing: fifo"), "fifo", "network.sharing", "'fifo' is not a link sharing (valid: fair, none)");

    [TestCase("  reverse: 150%", "reverse", "network.reverse", "150%")]
    [TestCase("  efficiency: 0%", "efficiency", "network.efficiency", "0%")]
    [TestCase("  fabric: 0Gbit/s", "fabric", "network.fabric", "must be greater than 0")]
    public void NetworkValueOutsideItsRange_IsReported(string line, string lineText, string path, string fragment) =>
        LoadError.AssertAt(Network(line), lineText, path, fragment);

    [Test]
    public void ZeroCpus_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2", "  - name: h2\n    cpus: 0"), "cpus", "hosts[1].cpus", "must be at least 1");

    [Test]
    public void ZeroHostBandwidth_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2", "  - name: h2\n    bandwidth: 0MB/s"), "bandwidth", "hosts[1].bandwidth", "must be greater than 0");

    [Test]
    public void TheNewKeys_AreRead()
    {
        var scenario = ScenarioLoader.Load(BaseYaml.With("name: base", "name: base\nnetwork:\n  sharing: none\n  reverse: 5%\n  efficiency: 97%\n  fabric: 10Gbit/s")
            .Replace("  - name: h2", "  - name: h2\n    cpus: 4\n    bandwidth: 10Gbit/s"), "base.yaml");
        Assert.That(scenario.Network.Sharing, Is.EqualTo(Model.LinkSharing.None));
        Assert.That(scenario.Network.ReverseFraction, Is.EqualTo(0.05).Within(1e-12));
        Assert.That(scenario.Network.Efficiency, Is.EqualTo(0.97).Within(1e-12));
        Assert.That(scenario.Network.FabricBytesPerSecond, Is.EqualTo(1.25e9));
        var h2 = scenario.Hosts.Single(h => h.Name == "h2");
        Assert.That(h2.Cpus, Is.EqualTo(4));
        Assert.That(h2.LinkBytesPerSecond, Is.EqualTo(1.25e9));
        Assert.That(scenario.Hosts.Single(h => h.Name != "h2").Cpus, Is.Null, "unlimited unless written");
    }
}
