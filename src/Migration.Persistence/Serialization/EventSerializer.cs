using Google.Protobuf;

namespace Migration.Persistence.Serialization;

/// <summary>
/// Turns events and snapshots (protobuf messages defined in proto/) into journal payloads and back.
/// A manifest names the type and its version (<c>migration.workload.Counted:1</c>); an adapter lets
/// the payload of an older version be read as the current type.
/// </summary>
public sealed class EventSerializer
{
    /// <summary>
    /// The serializer id journal rows carry (Akka.Persistence.Sql's <c>identifier</c> and
    /// <c>serializer_id</c> columns): an Akka.NET serializer registered under it reads them back.
    /// </summary>
    public const int AkkaSerializerId = 4712;

    private readonly Dictionary<Type, string> manifestByType = new();
    private readonly Dictionary<string, Func<byte[], object>> readerByManifest = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="T"/> as the current version <paramref name="version"/> of its type.</summary>
    public EventSerializer Register<T>(int version = 1) where T : class, IMessage<T>, new()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        var parser = new MessageParser<T>(() => new T());
        var manifest = ManifestOf(new T().Descriptor.FullName, version);
        manifestByType[typeof(T)] = manifest;
        readerByManifest[manifest] = payload => parser.ParseFrom(payload);
        return this;
    }

    /// <summary>
    /// Reads payloads stored under <paramref name="oldManifest"/> (an older version) with
    /// <paramref name="upcast"/>, which returns the current type.
    /// </summary>
    public EventSerializer RegisterAdapter(string oldManifest, Func<byte[], object> upcast)
    {
        ArgumentException.ThrowIfNullOrEmpty(oldManifest);
        ArgumentNullException.ThrowIfNull(upcast);
        readerByManifest[oldManifest] = upcast;
        return this;
    }

    public static string ManifestOf(string typeName, int version) => $"{typeName}:{version}";

    public bool IsRegistered(Type type) => manifestByType.ContainsKey(type);

    /// <summary>The manifest <paramref name="value"/> is stored under.</summary>
    public string ManifestOf(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return manifestByType.TryGetValue(value.GetType(), out var manifest)
            ? manifest
            : throw new InvalidOperationException($"{value.GetType().FullName} is not a registered journal type");
    }

    public (string Manifest, byte[] Payload) Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!manifestByType.TryGetValue(value.GetType(), out var manifest))
            throw new InvalidOperationException(
                $"{value.GetType().FullName} is not a registered journal type: define it in proto/ and call EventSerializer.Register<{value.GetType().Name}>()");
        return (manifest, ((IMessage)value).ToByteArray());
    }

    /// <summary>Reads a stored payload; what cannot be read is reported with the persistence id and sequence number.</summary>
    public object Deserialize(string persistenceId, long sequenceNr, string manifest, byte[] payload)
    {
        if (!readerByManifest.TryGetValue(manifest, out var read))
            throw new JournalDataException(persistenceId, sequenceNr,
                $"unknown manifest '{manifest}': no type or adapter is registered for it (written by another build?)");
        try
        {
            return read(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new JournalDataException(persistenceId, sequenceNr, $"the payload of manifest '{manifest}' is corrupted ({e.Message})", e);
        }
    }
}
