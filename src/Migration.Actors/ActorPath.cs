using Migration.Actors.Util;

namespace Migration.Actors;

/// <summary>
/// Where an actor lives: its system, its host, and its chain of names from the host's root, e.g.
/// <c>migration://lab@host-2/user/toolstack/migration-7</c>. The hash is stable across processes
/// and seeds the actor's random generator and the run's digest.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private ActorPath(string systemName, int host, ActorPath? parent, string name, string text)
    {
        Elements = parent is null ? "" : $"{parent.Elements}/{name}";
        SystemName = systemName;
        Host = host;
        Parent = parent;
        Name = name;
        Text = text;
        StableHash = Util.StableHash.Of(text);
    }

    public string SystemName { get; }

    public int Host { get; }

    public ActorPath? Parent { get; }

    public string Name { get; }

    public ulong StableHash { get; }

    /// <summary>The full path as text.</summary>
    public string Text { get; }

    /// <summary>The elements below the host, e.g. <c>/user/toolstack</c>.</summary>
    public string Elements { get; }

    internal static ActorPath Root(string systemName, int host) =>
        new(systemName, host, null, "", $"migration://{systemName}@host-{host}");

    public ActorPath Child(string name) => new(SystemName, Host, this, name, $"{Text}/{name}");

    public bool Equals(ActorPath? other) => other is not null && other.Text == Text;

    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    public override int GetHashCode() => (int)StableHash;

    public override string ToString() => Text;

    /// <summary>Names are path elements: non-empty, no '/', and '$' is reserved for generated names.</summary>
    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new InvalidActorNameException("an actor name cannot be empty");
        if (name[0] == '$') throw new InvalidActorNameException($"actor name '{name}' starts with '$', which is reserved for generated names");
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.:@&=+,!~*'();%".Contains(c)))
                throw new InvalidActorNameException($"actor name '{name}' contains '{c}'; use letters, digits and -_.:@&=+,!~*'();%");
        }
    }
}
