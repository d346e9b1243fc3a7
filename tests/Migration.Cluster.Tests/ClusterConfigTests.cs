using Migration.Cluster.Configuration;

namespace Migration.Cluster.Tests;

/// <summary>A cluster config read once: the shipped ones load; each mistake is named by file, line and key.</summary>
public sealed class ClusterConfigTests
{
    private const string Valid = """
        akka.cluster.seed-nodes = ["akka.ssl.tcp://migration@127.0.0.1:25521"]
        migration.cluster {
          nodes = [
            { name = node-1, port = 25521 }
            { name = node-2, port = 25522, hosts = [a, b] }
          ]
        }
        """;

    private static string ErrorOf(string text) => Assert.Throws<ClusterConfigException>(() => ClusterConfig.Parse(text, "c.conf"))!.Message;

    [Test]
    public void TheShippedConfigs_Load_WithTheirNodesAndTheLaptopTimings()
    {
        var three = ClusterConfig.Load(Path.Combine(ShippedConfigs.Directory, "local-3.conf"));
        Assert.That(three.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "node-1", "node-2", "node-3" }));
        Assert.That(three.Placement, Is.EqualTo(PlacementRule.RoundRobin));
        Assert.That(three.SeedNodes.Select(n => n.Name), Is.EqualTo(new[] { "node-1", "node-2", "node-3" }), "every node a seed, so a restarted first seed finds the others");
        Assert.That(three.CoordinatorJournal, Is.EqualTo("sqlite:runs/coordinator.db"));
        Assert.That(three.Config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"), Is.EqualTo(TimeSpan.FromSeconds(2)), "short enough for a laptop");
        Assert.That(three.SecretFile, Does.EndWith(Path.Combine("runs", "cluster", "secret.pfx")));
        var four = ClusterConfig.Load(Path.Combine(ShippedConfigs.Directory, "local-4.conf"));
        Assert.That(four.Nodes, Has.Count.EqualTo(4));
        Assert.That(four.Placement, Is.EqualTo(PlacementRule.SeparateMigrations));
    }

    [Test]
    public void AValidConfig_GivesItsNodes_AndTheReferenceDefaults()
    {
        var config = ClusterConfig.Parse(Valid, "c.conf");
        Assert.That(config.Nodes[1], Is.EqualTo(config.Nodes[1] with { Name = "node-2", Hostname = "127.0.0.1", Port = 25522 }));
        Assert.That(config.Nodes[1].Hosts, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(config.AddressOf(config.Nodes[0]), Is.EqualTo("akka.ssl.tcp://migration@127.0.0.1:25521"));
        Assert.That(config.UpTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)), "reference.conf's default");
        Assert.That(config.Journal, Is.EqualTo("sqlite:runs/journal.db"));
    }

    [Test]
    public void NoSeedNode_IsAnError_SayingWhatToWrite() =>
        Assert.That(ErrorOf(Valid.Replace("akka.cluster.seed-nodes = [\"akka.ssl.tcp://migration@127.0.0.1:25521\"]", "akka.cluster.seed-nodes = []", StringComparison.Ordinal)),
            Is.EqualTo("c.conf:1: akka.cluster.seed-nodes: names no seed node; a node cannot find the cluster without one (for example akka.cluster.seed-nodes = [\"akka.ssl.tcp://migration@127.0.0.1:25521\"])"));

    [Test]
    public void SeedNodesLeftOut_IsAnError_NamingTheKey() =>
        Assert.That(ErrorOf(Valid.Split('\n', 2)[1]), Does.StartWith("c.conf: akka.cluster.seed-nodes is not set"));

    [Test]
    public void ASeedThatIsNoNode_IsAnError_ListingTheNodesAddresses() =>
        Assert.That(ErrorOf(Valid.Replace(":25521\"]", ":9\"]", StringComparison.Ordinal)),
            Does.StartWith("c.conf:1: akka.cluster.seed-nodes: 'akka.ssl.tcp://migration@127.0.0.1:9' is not the address of a node"));

    [Test]
    public void AnUnknownNodeName_IsAnError_ListingTheNodes() =>
        Assert.That(Assert.Throws<ClusterConfigException>(() => ClusterConfig.Parse(Valid, "c.conf").Node("node-9"))!.Message,
            Is.EqualTo("c.conf: no node 'node-9' in migration.cluster.nodes (nodes: node-1, node-2)"));

    [TestCase("port = 25522", "port = 99999", "c.conf:5: migration.cluster.nodes[1].port: '99999' is not a TCP port (1 to 65535)")]
    [TestCase("port = 25522", "port = 25521", "c.conf:5: migration.cluster.nodes[1].port: 127.0.0.1:25521 is already node 'node-1''s address")]
    [TestCase("name = node-2", "name = node-1", "c.conf:5: migration.cluster.nodes[1].name: 'node-1' is already the name of another node")]
    [TestCase("name = node-2", "name = \"no spaces\"", "c.conf:5: migration.cluster.nodes[1].name: 'no spaces' must be 1 to 64 letters, digits, '-' or '_'")]
    [TestCase("hosts = [a, b]", "hosts = [a, b], colour = red", "c.conf:5: migration.cluster.nodes[1].colour: unknown key for a node (valid: name, port, hostname, hosts, journal)")]
    public void ANodeMistake_IsNamedByLineAndKey(string from, string to, string message) =>
        Assert.That(ErrorOf(Valid.Replace(from, to, StringComparison.Ordinal)), Is.EqualTo(message));

    [Test]
    public void AnUnknownKey_UnderMigrationCluster_IsNamed_WithTheValidKeys() =>
        Assert.That(ErrorOf(Valid.Replace("  nodes = [", "  placment = round-robin\n  nodes = [", StringComparison.Ordinal)),
            Does.StartWith("c.conf:3: migration.cluster.placment: unknown key (valid keys under migration.cluster: system-name, hostname, nodes, placement"));

    [Test]
    public void AnUnknownPlacement_IsNamed() =>
        Assert.That(ErrorOf(Valid.Replace("  nodes = [", "  placement = random\n  nodes = [", StringComparison.Ordinal)),
            Is.EqualTo("c.conf:3: migration.cluster.placement: 'random' is not a placement (valid: round-robin, separate-migrations)"));

    [Test]
    public void ABadDuration_IsNamed() =>
        Assert.That(ErrorOf(Valid.Replace("  nodes = [", "  up-timeout = soon\n  nodes = [", StringComparison.Ordinal)),
            Does.StartWith("c.conf:3: migration.cluster.up-timeout: 'soon' is not a duration"));

    [Test]
    public void NoNodes_IsAnError() =>
        Assert.That(ErrorOf("akka.cluster.seed-nodes = [\"x\"]\nmigration.cluster.nodes = []\n"),
            Is.EqualTo("c.conf:2: migration.cluster.nodes: lists no node; a cluster needs at least one"));

    [Test]
    public void AMissingFile_IsAnError_NamingIt()
    {
        var message = Assert.Throws<ClusterConfigException>(() => ClusterConfig.Load("/no/such/dir/c.conf"))!.Message;
        Assert.That(message, Does.StartWith("/no/such/dir/c.conf: cannot read the cluster config"));
    }

    [Test]
    public void AMissingSecret_IsAnError_SayingHowToMakeOne()
    {
        var config = ClusterConfig.Parse(Valid.Replace("migration.cluster {", "migration.cluster {\n  secret-file = \"/no/such/secret.pfx\"", StringComparison.Ordinal), "c.conf");
        var message = Assert.Throws<ClusterConfigException>(() => Security.ClusterSecret.Load(config))!.Message;
        Assert.That(message, Does.Contain("the cluster secret /no/such/secret.pfx (migration.cluster.secret-file) does not exist; make one with `migration cluster secret --out /no/such/secret.pfx`"));
    }
}
