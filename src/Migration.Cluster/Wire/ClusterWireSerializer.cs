using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Migration.Cluster.Wire;

/// <summary>
/// The project's Akka serializer for the messages of proto/cluster.proto: a message's protobuf bytes,
/// with its full protobuf name as the manifest. A frame whose manifest names no known message, or
/// whose bytes do not parse, is refused with an exception saying which (Akka.Remote drops that one
/// message and logs it; the connection and the node carry on).
/// </summary>
public sealed class ClusterWireSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka reserves 0 to 100 for itself.</summary>
    public const int SerializerId = 4711;

    private static readonly Dictionary<string, MessageParser> ParsersByName = ClusterReflection.Descriptor.MessageTypes
        .ToDictionary(d => d.FullName, d => d.Parser, StringComparer.Ordinal);

    public override int Identifier => SerializerId;

    /// <summary>The HOCON that binds the marker interface to this serializer.</summary>
    public const string Binding = """
        akka.actor {
          serializers.migration-wire = "Migration.Cluster.Wire.ClusterWireSerializer, Migration.Cluster"
          serialization-bindings { "Migration.Cluster.Wire.IClusterWire, Migration.Cluster" = migration-wire }
          serialization-identifiers { "Migration.Cluster.Wire.ClusterWireSerializer, Migration.Cluster" = 4711 }
        }
        """;

    public override byte[] ToBinary(object obj) => obj is IMessage message
        ? message.ToByteArray()
        : throw new ArgumentException($"{obj.GetType().FullName} is not a protobuf message of proto/cluster.proto", nameof(obj));

    public override string Manifest(object o) => o is IMessage message
        ? message.Descriptor.FullName
        : throw new ArgumentException($"{o.GetType().FullName} is not a protobuf message of proto/cluster.proto", nameof(o));

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!ParsersByName.TryGetValue(manifest, out var parser))
            throw new System.Runtime.Serialization.SerializationException($"a cluster message of unknown type '{manifest}' ({bytes.Length} bytes): is the sender another version of migration?");
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new System.Runtime.Serialization.SerializationException($"a {manifest} of {bytes.Length} bytes that does not parse: {e.Message}", e);
        }
    }

    /// <summary>Every message type of proto/cluster.proto (the tests check each is marked <see cref="IClusterWire"/>).</summary>
    public static IEnumerable<MessageDescriptor> Messages => ClusterReflection.Descriptor.MessageTypes;
}
