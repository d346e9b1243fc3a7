using Akka.Actor;
using Akka.Serialization;
using Migration.Persistence;
using Migration.Persistence.Serialization;
using Migration.Simulation.Running;

namespace Migration.Cluster.Wire;

/// <summary>
/// The simulation journal's events (proto/xen.proto) as an Akka.NET serializer: the rows the
/// project's windowed writer puts in Akka.Persistence.Sql's tables carry this serializer's id and
/// the event's versioned manifest (<c>migration.xen.DomainCreated:1</c>), so Akka.Persistence.Sql's
/// read journal (<c>SqlReadJournal</c>) gives them back as the events themselves.
/// </summary>
public sealed class JournalEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly EventSerializer Events = SimulationSerializer.Create();

    public override int Identifier => EventSerializer.AkkaSerializerId;

    /// <summary>The HOCON that registers this serializer (under its id; no binding: the project's writer writes the rows).</summary>
    public const string Registration = """
        akka.actor {
          serializers.migration-journal = "Migration.Cluster.Wire.JournalEventSerializer, Migration.Cluster"
          serialization-identifiers { "Migration.Cluster.Wire.JournalEventSerializer, Migration.Cluster" = 4712 }
        }
        """;

    public override byte[] ToBinary(object obj) => Events.Serialize(obj).Payload;

    public override string Manifest(object o) => Events.ManifestOf(o);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return Events.Deserialize("(read through Akka)", 0, manifest, bytes);
        }
        catch (JournalDataException e)
        {
            throw new System.Runtime.Serialization.SerializationException(e.Message, e);
        }
    }
}
