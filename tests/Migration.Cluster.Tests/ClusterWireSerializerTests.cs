using System.Runtime.Serialization;
using Akka.Configuration;
using Akka.Serialization;
using Google.Protobuf;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Tests;

/// <summary>Messages between nodes go as protobuf through the project's serializer; bad frames are refused with a message.</summary>
public sealed class ClusterWireSerializerTests() : AkkaTest(ConfigurationFactory.ParseString(ClusterWireSerializer.Binding))
{
    [Test]
    public void EveryClusterMessage_IsBoundToTheProjectsSerializer_AndRoundTrips()
    {
        var serialization = Sys.Serialization;
        foreach (var descriptor in ClusterWireSerializer.Messages)
        {
            var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
            Assert.That(message, Is.InstanceOf<IClusterWire>(), $"{descriptor.FullName} must be marked IClusterWire");
            var serializer = serialization.FindSerializerFor(message);
            Assert.That(serializer, Is.InstanceOf<ClusterWireSerializer>(), descriptor.FullName);
            var bytes = serializer.ToBinary(message);
            var back = serialization.Deserialize(bytes, serializer.Identifier, Serialization.ManifestFor(serializer, message));
            Assert.That(back, Is.EqualTo(message), descriptor.FullName);
        }
    }

    [Test]
    public void AStatusReply_RoundTrips_WithItsMembersAndEvents()
    {
        var reply = new StatusReply { Node = "node-1" };
        reply.Members.Add(new Member { Address = "akka.ssl.tcp://migration@127.0.0.1:1", Node = "node-1", Status = "up", Reachable = true, Roles = { "node" } });
        reply.Events.Add(new MembershipEvent { UnixMs = 5, Node = "node-2", Kind = "removed" });
        var serializer = (ClusterWireSerializer)Sys.Serialization.FindSerializerFor(reply);
        Assert.That(serializer.FromBinary(serializer.ToBinary(reply), serializer.Manifest(reply)), Is.EqualTo(reply));
    }

    [Test]
    public void AnUnknownManifest_OrBytesThatDoNotParse_AreRefused_SayingWhich()
    {
        var serializer = (ClusterWireSerializer)Sys.Serialization.FindSerializerFor(new StatusRequest());
        Assert.That(Assert.Throws<SerializationException>(() => serializer.FromBinary([1, 2, 3], "migration.cluster.Nope"))!.Message,
            Does.Contain("unknown type 'migration.cluster.Nope'"));
        Assert.That(Assert.Throws<SerializationException>(() => serializer.FromBinary([0xFF, 0xFF, 0xFF], "migration.cluster.StatusReply"))!.Message,
            Does.Contain("a migration.cluster.StatusReply of 3 bytes that does not parse"));
    }
}
