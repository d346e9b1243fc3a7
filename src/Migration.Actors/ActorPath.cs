using Migration.Actors.Util;

namespace Migration.Actors;

/// <summary>
/// Where an actor lives: its system, its host, and its chain of names from the host's root, e.g.
/// <c>migration://lab@host-2/user/toolstack/migration-7</c>. The hash is stable across processes
/// and seeds the actor's random generator and the run's digest.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    // The FNV-1a state over the path's text, before the final mix: a child continues its parent's, so
    // a path's hash is known without building its text (a run creates thousands of paths and reads
    // the text of few). StableHash is exactly StableHash.Of(Text).
    private readonly ulong fnvState;
    private string? text;

    private ActorPath(string systemName, int host, ActorPath? parent, string name, ulong fnvState, string? text)
    {
        SystemName = systemName;
        Host = host;
        Parent = parent;
        Name = name;
        this.fnvState = fnvState;
        this.text = text;
    }

    public string SystemName { get; }

    public int Host { get; }

    public ActorPath? Parent { get; }

    public string Name { get; }

    public ulong StableHash => Util.StableHash.Mix(fnvState);

    /// <summary>The full path as text.</summary>
    public string Text => text ??= $"{Parent!.Text}/{Name}";

    /// <summary>The elements below the host, e.g. <c>/user/toolstack</c>.</summary>
    public string Elements => Parent is null ? "" : $"{Parent.Elements}/{Name}";

    internal static ActorPath Root(string systemName, int host)
    {
        var text = $"migration://{systemName}@host-{host}";
        return new(systemName, host, null, "", Util.StableHash.Continue(Util.StableHash.FnvStart, text), text);
    }

    public ActorPath Child(string name) => Child(name, ChildState(fnvState, name));

    /// <summary>The FNV state before the final mix, which <see cref="StableHash"/> mixes.</summary>
    internal ulong FnvState => fnvState;

    /// <summary>The hash state of a child named <paramref name="name"/> of a path whose state is <paramref name="parentState"/>.</summary>
    internal static ulong ChildState(ulong parentState, string name) =>
        Util.StableHash.Continue(Util.StableHash.Continue(parentState, "/"), name);

    /// <summary>A child whose hash state the caller computed with <see cref="ChildState"/>.</summary>
    internal ActorPath Child(string name, ulong childState) => new(SystemName, Host, this, name, childState, null);

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.fnvState != fnvState || other.Host != Host || other.Name != Name) return false;
        return Parent is null ? other.Parent is null && other.SystemName == SystemName : Parent.Equals(other.Parent);
    }

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
