using Akka.Configuration;

namespace Migration.Cluster.Configuration;

/// <summary>
/// A cluster config file, read once: Akka's own keys as the file gives them (over Akka's defaults),
/// and the project's keys under <c>migration.cluster</c> (over the reference in this assembly, which
/// documents each). Every problem is a <see cref="ClusterConfigException"/> naming the file, the line
/// and the key's full path.
/// </summary>
public sealed class ClusterConfig
{
    private const string Root = "migration.cluster";

    private static readonly string[] Keys =
        ["system-name", "hostname", "nodes", "placement", "secret-file", "secret-password", "journal", "coordinator-journal", "up-timeout", "status-timeout"];

    private static readonly string[] NodeKeys = ["name", "port", "hostname", "hosts", "journal"];

    private readonly HoconOutline outline;

    private ClusterConfig(string path, HoconOutline outline, Config config)
    {
        ConfigPath = path;
        this.outline = outline;
        Config = config;
        CheckKnownKeys();
        SystemName = Name(config.GetString($"{Root}.system-name"), $"{Root}.system-name");
        Hostname = Text($"{Root}.hostname");
        Placement = ReadPlacement();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        SecretFile = Path.GetFullPath(Path.Combine(directory, Text($"{Root}.secret-file")));
        SecretPassword = config.GetString($"{Root}.secret-password") ?? "";
        Journal = Text($"{Root}.journal");
        CoordinatorJournal = Text($"{Root}.coordinator-journal");
        if (!CoordinatorJournal.StartsWith(Persistence.JournalUri.SqliteScheme, StringComparison.Ordinal) &&
            !CoordinatorJournal.StartsWith(Persistence.JournalUri.PostgresScheme, StringComparison.Ordinal))
            throw outline.Error($"{Root}.coordinator-journal", $"'{Persistence.JournalUri.Redact(CoordinatorJournal)}' must start with sqlite: or postgres:");
        UpTimeout = Duration($"{Root}.up-timeout");
        StatusTimeout = Duration($"{Root}.status-timeout");
        Nodes = ReadNodes();
        SeedNodes = ReadSeedNodes();
    }

    /// <summary>The config file's path, as given.</summary>
    public string ConfigPath { get; }

    /// <summary>The whole configuration: the file over this assembly's reference.</summary>
    public Config Config { get; }

    public string SystemName { get; }
    public string Hostname { get; }
    public IReadOnlyList<NodeEntry> Nodes { get; }
    public PlacementRule Placement { get; }

    /// <summary>The cluster secret's full path.</summary>
    public string SecretFile { get; }

    public string SecretPassword { get; }
    public string Journal { get; }

    /// <summary>The run coordinator's Akka.Persistence.Sql journal (sqlite:PATH or postgres:CONNECTION-STRING).</summary>
    public string CoordinatorJournal { get; }
    public TimeSpan UpTimeout { get; }
    public TimeSpan StatusTimeout { get; }

    /// <summary>The nodes <c>akka.cluster.seed-nodes</c> names, in order.</summary>
    public IReadOnlyList<NodeEntry> SeedNodes { get; }

    public static ClusterConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > HoconOutline.TextLengthMax)
                throw new ClusterConfigException($"{path}: the file has {length:N0} bytes, more than a config file may ({HoconOutline.TextLengthMax:N0})");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ClusterConfigException($"{path}: cannot read the cluster config: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <param name="source">What messages call the text (its file's path).</param>
    public static ClusterConfig Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var outline = HoconOutline.Read(text, source);
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text).WithFallback(Reference);
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidOperationException or ArgumentException)
        {
            throw new ClusterConfigException($"{source}: not a valid HOCON config: {e.Message}");
        }
        return new ClusterConfig(source, outline, config);
    }

    /// <summary>This assembly's reference.conf: every migration.cluster key with its default.</summary>
    public static Config Reference { get; } = ReadReference();

    /// <summary>The node called <paramref name="name"/>, or an error listing the nodes.</summary>
    public NodeEntry Node(string name)
    {
        foreach (var node in Nodes)
        {
            if (node.Name == name) return node;
        }
        throw new ClusterConfigException($"{ConfigPath}: no node '{name}' in {Root}.nodes (nodes: {string.Join(", ", Nodes.Select(n => n.Name))})");
    }

    /// <summary>A node's Akka address, <c>akka.ssl.tcp://SYSTEM@HOST:PORT</c> (Akka.Remote over TLS).</summary>
    public string AddressOf(NodeEntry node) => $"akka.ssl.tcp://{SystemName}@{node.Hostname}:{node.Port}";

    /// <summary>The node whose Akka address is <paramref name="host"/>:<paramref name="port"/>, or null.</summary>
    public NodeEntry? NodeAt(string? host, int? port) => Nodes.FirstOrDefault(n => n.Hostname == host && n.Port == port);

    /// <summary>An error about <paramref name="path"/>, at the line it was written on.</summary>
    public ClusterConfigException Error(string path, string message) => outline.Error(path, message);

    private void CheckKnownKeys()
    {
        foreach (var path in outline.Paths.Where(p => p.StartsWith(Root + ".", StringComparison.Ordinal)))
        {
            var rest = path[(Root.Length + 1)..];
            var key = rest.Split('.', '[')[0];
            if (!Keys.Contains(key)) throw outline.Error(path, $"unknown key (valid keys under {Root}: {string.Join(", ", Keys)})");
            if (key == "nodes" && rest.Contains("].", StringComparison.Ordinal))
            {
                var nodeKey = rest[(rest.IndexOf("].", StringComparison.Ordinal) + 2)..].Split('.', '[')[0];
                if (!NodeKeys.Contains(nodeKey)) throw outline.Error(path, $"unknown key for a node (valid: {string.Join(", ", NodeKeys)})");
            }
        }
    }

    private PlacementRule ReadPlacement()
    {
        var path = $"{Root}.placement";
        return Text(path) switch
        {
            "round-robin" => PlacementRule.RoundRobin,
            "separate-migrations" => PlacementRule.SeparateMigrations,
            var other => throw outline.Error(path, $"'{other}' is not a placement (valid: round-robin, separate-migrations)"),
        };
    }

    private IReadOnlyList<NodeEntry> ReadNodes()
    {
        var path = $"{Root}.nodes";
        var value = Config.GetValue(path);
        // Akka's HOCON reads an empty list as neither an array nor a string: only those two are told apart.
        if (value is null || value.IsObject() || value.IsString()) throw outline.Error(path, "must be a list of nodes ([ { name = ..., port = ... }, ... ])");
        var items = value.GetArray();
        if (items.Count == 0) throw outline.Error(path, "lists no node; a cluster needs at least one");
        var nodes = new List<NodeEntry>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (!items[i].IsObject()) throw outline.Error(itemPath, "must be an object { name = ..., port = ... }");
            var item = new Config(new Akka.Configuration.Hocon.HoconRoot(items[i]));
            var name = Name(item.GetString("name", null), $"{itemPath}.name");
            var port = Port(item, itemPath);
            var hostname = item.HasPath("hostname") ? item.GetString("hostname") : Hostname;
            var hosts = item.HasPath("hosts") ? item.GetStringList("hosts").ToArray() : [];
            var journal = item.HasPath("journal") ? item.GetString("journal") : null;
            if (nodes.FirstOrDefault(n => n.Name == name) is { } twin) throw outline.Error($"{itemPath}.name", $"'{name}' is already the name of another node");
            if (nodes.FirstOrDefault(n => n.Hostname == hostname && n.Port == port) is { } clash)
                throw outline.Error($"{itemPath}.port", $"{hostname}:{port} is already node '{clash.Name}''s address");
            nodes.Add(new NodeEntry(name, hostname, port, hosts, journal));
        }
        return nodes;
    }

    private int Port(Config item, string itemPath)
    {
        var path = $"{itemPath}.port";
        if (!item.HasPath("port")) throw outline.Error(itemPath, "has no port (the TCP port of the node's Akka.Remote endpoint)");
        var text = item.GetString("port");
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw outline.Error(path, $"'{text}' is not a TCP port (1 to 65535)");
        return port;
    }

    private IReadOnlyList<NodeEntry> ReadSeedNodes()
    {
        const string path = "akka.cluster.seed-nodes";
        var seeds = Config.HasPath(path) ? Config.GetStringList(path) : [];
        if (seeds.Count == 0)
        {
            var hint = $"for example {path} = [\"{AddressOf(Nodes[0])}\"]";
            throw outline.Has(path) ? outline.Error(path, $"names no seed node; a node cannot find the cluster without one ({hint})")
                : new ClusterConfigException($"{ConfigPath}: {path} is not set: a node cannot find the cluster without a seed node ({hint})");
        }
        var result = new List<NodeEntry>();
        foreach (var seed in seeds)
        {
            var node = Nodes.FirstOrDefault(n => AddressOf(n) == seed)
                       ?? throw outline.Error(path, $"'{seed}' is not the address of a node of {Root}.nodes (their addresses: {string.Join(", ", Nodes.Select(AddressOf))})");
            result.Add(node);
        }
        return result;
    }

    private string Text(string path)
    {
        var text = Config.GetString(path, null);
        if (string.IsNullOrWhiteSpace(text)) throw outline.Error(path, "must not be empty");
        return text;
    }

    private TimeSpan Duration(string path)
    {
        try
        {
            var value = Config.GetTimeSpan(path, null, allowInfinite: false);
            if (value <= TimeSpan.Zero) throw outline.Error(path, $"must be longer than zero (is {value})");
            return value;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ConfigurationException or ArgumentException)
        {
            throw outline.Error(path, $"'{Config.GetString(path)}' is not a duration (for example 30s or 500ms)");
        }
    }

    private string Name(string? name, string path)
    {
        if (string.IsNullOrEmpty(name)) throw outline.Error(path, "is required");
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw outline.Error(path, $"'{name}' must be 1 to 64 letters, digits, '-' or '_'");
        return name;
    }

    private static Config ReadReference()
    {
        using var stream = typeof(ClusterConfig).Assembly.GetManifestResourceStream("Migration.Cluster.reference.conf")
                           ?? throw new InvalidOperationException("Migration.Cluster's embedded reference.conf is missing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
