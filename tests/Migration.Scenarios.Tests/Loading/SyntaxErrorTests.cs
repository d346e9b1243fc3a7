using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests.Loading;

public class SyntaxErrorTests
{
    [Test]
    public void BaseYaml_IsValid() => Assert.That(ScenarioLoader.Load(BaseYaml.Text, LoadError.Source).Name, Is.EqualTo("base"));

    [Test]
    public void MalformedYaml_IsReported_AtYamlDotNetsLine()
    {
        var message = LoadError.MessageOf(BaseYaml.With("name: base", "name: base\ndescription: \"bad \\q escape\""));
        Assert.That(message, Does.StartWith($"{LoadError.Source}:2: malformed YAML: "));
    }

    [Test]
    public void DuplicateKey_IsReported_AsMalformedYaml_AtTheSecondKey()
    {
        var message = LoadError.MessageOf(BaseYaml.With("    memory: 1GiB", "    memory: 1GiB\n    memory: 2GiB"));
        Assert.That(message, Does.StartWith($"{LoadError.Source}:{LoadError.LineOf(BaseYaml.Text, "memory: 1GiB") + 1}: malformed YAML: "));
        Assert.That(message, Does.Contain("Duplicate key"));
    }

    [Test]
    public void UnclosedList_IsReported_AsMalformedYaml() =>
        Assert.That(LoadError.MessageOf("hosts: [h1,\n"), Does.StartWith($"{LoadError.Source}:2: malformed YAML: "));

    [Test]
    public void EmptyFile_IsReported_AtLineOne() =>
        Assert.That(LoadError.MessageOf("# nothing here\n"), Does.StartWith($"{LoadError.Source}:1: the file is empty"));

    [Test]
    public void SecondDocument_IsReported_AtItsLine() =>
        Assert.That(LoadError.MessageOf(BaseYaml.Text + "\n---\nname: other\n"), Does.StartWith($"{LoadError.Source}:{BaseYaml.Text.Split('\n').Length + 2}: a second YAML document"));

    [Test]
    public void RootThatIsNotAMapping_IsReported() =>
        Assert.That(LoadError.MessageOf("- h1\n- h2\n"), Does.StartWith($"{LoadError.Source}:1: expected a mapping"));

    [Test]
    public void UnknownKey_AtTheTop_IsReported_WithLineAndValidKeys() =>
        LoadError.AssertAt(BaseYaml.With("name: base", "name: base\nhostz: []"), "hostz", "hostz",
            "unknown key", "valid keys: name, description, origin, precopy, network, hosts, domains, devices, migrations, faults, events, iommu, generator");

    [Test]
    public void UnknownKey_InAHost_IsReported_WithLineAndValidKeys() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2", "  - name: h2\n    memroy: 1GiB"), "memroy", "hosts[1].memroy",
            "valid keys: name, iommu, iommu-lifetime, shared-page-tables, tsc-scaling, tsc-khz, memory, toolstack");

    [Test]
    public void UnknownKey_InAWorkload_IsReported_WithLineAndValidKeys() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 2GiB\n    workload:\n      dirty: 1MB/s"), "dirty:", "domains[1].workload.dirty",
            "valid keys: dirty-rate, working-set");

    [Test]
    public void UnknownKey_InADevice_Migration_Fault_OrNetwork_IsReported()
    {
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: web\n    irq: 5\n"), "irq", "devices[0].irq", "dma-rate");
        LoadError.AssertAt(BaseYaml.With("    at: 1s", "    at: 1s\n    live: true"), "live", "migrations[0].live", "unplug-replug");
        LoadError.AssertAt(BaseYaml.With("    at: 5s", "    at: 5s\n    until: 6s"), "until", "faults[0].until", "valid keys: kind, host, peer, at, for");
        LoadError.AssertAt(BaseYaml.With("name: base", "name: base\nnetwork:\n  mtu: 9000"), "mtu", "network.mtu", "valid keys: bandwidth, latency");
    }

    [Test]
    public void HostsAsAScalar_IsAWrongType() =>
        LoadError.AssertAtLine("hosts: h1\n", 1, "hosts", "expected a list", "found the value 'h1'");

    [Test]
    public void HostAsAScalar_IsAWrongType() =>
        LoadError.AssertAtLine("hosts:\n  - h1\n", 2, "hosts[0]", "expected a mapping", "found the value 'h1'");

    [Test]
    public void SizeAsAMapping_IsAWrongType() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory:\n      size: 2GiB"), "size: 2GiB", "domains[1].memory", "expected a single value, found a mapping");

    [Test]
    public void WorkloadAsAList_IsAWrongType() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 2GiB\n    workload: [1, 2]"), "workload", "domains[1].workload", "expected a mapping (key: value lines), found a list");

    [Test]
    public void NonNumericVcpus_IsAWrongType() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 2GiB\n    vcpus: two"), "vcpus", "domains[1].vcpus", "'two' is not a whole number");

    [Test]
    public void YesForABoolean_IsAWrongType() =>
        LoadError.AssertAt(BaseYaml.With("    memory: 2GiB", "    memory: 2GiB\n    nomigrate: yes"), "nomigrate", "domains[1].nomigrate", "'yes' is not a boolean");

    [Test]
    public void MissingRequiredKey_IsReported_AtItsMapping() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2\n    memory: 64GiB", "  - name: h2"), "name: h2", "hosts[1].memory", "is required");

    [Test]
    public void MissingMigrationTime_IsReported_AtTheMigration() =>
        LoadError.AssertAt(BaseYaml.With("    at: 1s\n", ""), "- domain: web", "migrations[0].at", "is required");

    [Test]
    public void BufferAndBufferPages_Together_AreReported() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: web\n    buffer: 1MiB\n    buffer-pages: 256\n"), "buffer-pages", "devices[0].buffer-pages", "not both");

    [Test]
    public void BufferOfPartialPages_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: web\n    buffer: 5000\n"), "buffer:", "devices[0].buffer", "not a whole number of 4 KiB pages");

    [Test]
    public void MissingFile_IsAScenarioException_NamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-for-scenario-tests", "missing.yaml");
        var problem = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path))!;
        Assert.That(problem.Message, Does.StartWith($"{path}: cannot read the scenario file"));
    }

    [Test]
    public void ADirectoryInsteadOfAFile_IsAScenarioException_NamingThePath()
    {
        var path = Path.GetTempPath();
        Assert.That(Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path))!.Message, Does.StartWith($"{path}: cannot read"));
    }
}
