namespace Migration.Scenarios.Tests.Loading;

public class ReferenceErrorTests
{
    [Test]
    public void NoHostsKey_IsReported_AtLineOne() =>
        LoadError.AssertAtLine("name: lonely\n", 1, "hosts", "at least one host is required");

    [Test]
    public void EmptyHostList_IsReported_AtItsLine() =>
        LoadError.AssertAtLine("name: lonely\nhosts: []\n", 2, "hosts", "at least one host is required");

    [Test]
    public void DuplicateHostName_IsReported_NamingTheFirst() =>
        LoadError.AssertAtLine(BaseYaml.With("  - name: h2", "  - name: h1"), LoadError.LineOf(BaseYaml.Text, "  - name: h2"), "hosts[1].name",
            "'h1' is already the name of hosts[0]");

    [Test]
    public void DuplicateDomainName_IsReported_NamingTheFirst() =>
        LoadError.AssertAtLine(BaseYaml.With("  - name: cache", "  - name: web"), LoadError.LineOf(BaseYaml.Text, "  - name: cache"), "domains[1].name",
            "'web' is already the name of domains[0]");

    [Test]
    public void EmptyHostName_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("  - name: h2", "  - name: \"\""), "name: \"\"", "hosts[1].name", "must not be empty");

    [Test]
    public void DuplicateBdfOnOneHost_IsReported()
    {
        var yaml = BaseYaml.With("    domain: web\n", "    domain: web\n  - bdf: 0000:03:00.0\n    host: h1\n");
        LoadError.AssertAt(yaml, "- bdf: 0000:03:00.0", "devices[1].bdf", "'0000:03:00.0' is already used on host 'h1' by devices[0]");
    }

    [Test]
    public void SameBdfOnTwoHosts_IsAccepted() =>
        Assert.That(ScenarioLoader.Load(BaseYaml.With("    domain: web\n", "    domain: web\n  - bdf: 0000:03:00.0\n    host: h2\n"), "s.yaml").Devices, Has.Count.EqualTo(2));

    [Test]
    public void DomainOnAMissingHost_IsReported_WithTheHosts() =>
        LoadError.AssertAt(BaseYaml.With("    host: h2", "    host: h9"), "host: h9", "domains[1].host", "'h9' is not a host of this scenario (hosts: h1, h2)");

    [Test]
    public void DeviceOnAMissingHost_IsReported_WithTheHosts() =>
        LoadError.AssertAt(BaseYaml.With("    host: h1\n    domain: web", "    host: h3\n    domain: web"), "host: h3", "devices[0].host", "'h3' is not a host");

    [Test]
    public void DeviceAssignedToAMissingDomain_IsReported_WithTheDomains() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: db\n"), "domain: db", "devices[0].domain",
            "'db' is not a domain of this scenario (domains: web, cache)");

    [Test]
    public void DeviceAssignedToADomainOnAnotherHost_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    domain: web\n", "    domain: cache\n"), "domain: cache", "devices[0].domain",
            "'cache' runs on host 'h2', not on the device's host 'h1'");

    [Test]
    public void MigrationOfAMissingDomain_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("  - domain: web", "  - domain: db"), "domain: db", "migrations[0].domain", "'db' is not a domain");

    [Test]
    public void MigrationToAMissingHost_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    to: h2", "    to: h7"), "to: h7", "migrations[0].to", "'h7' is not a host of this scenario (hosts: h1, h2)");

    [Test]
    public void FaultOnAMissingHost_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    host: h1\n    peer: h2", "    host: h5\n    peer: h2"), "host: h5", "faults[0].host", "'h5' is not a host");

    [Test]
    public void LinkDownWithoutPeer_IsReported_AtTheFault() =>
        LoadError.AssertAt(BaseYaml.With("    peer: h2\n", ""), "- kind: link-down", "faults[0].peer", "is required for link-down");

    [Test]
    public void LinkDownToAMissingPeer_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    peer: h2", "    peer: h4"), "peer: h4", "faults[0].peer", "'h4' is not a host");

    [Test]
    public void LinkDownToItself_IsReported() =>
        LoadError.AssertAt(BaseYaml.With("    peer: h2", "    peer: h1"), "peer: h1", "faults[0].peer", "'h1' is the fault's own host");

    [Test]
    public void LongNameLists_AreCut_AfterTwelveNames()
    {
        var hosts = string.Concat(Enumerable.Range(0, 20).Select(i => $"  - name: h{i}\n    memory: 1GiB\n"));
        var message = LoadError.MessageOf($"hosts:\n{hosts}domains:\n  - name: d\n    host: nowhere\n    memory: 1GiB\n");
        Assert.That(message, Does.Contain("(hosts: h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, and 8 more)"));
    }
}
