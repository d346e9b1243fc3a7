using System.Runtime.CompilerServices;

namespace Migration.Actors.Util;

/// <summary>
/// Stable hashes of message type names, cached per scheduler. The last type seen is checked first:
/// a run delivers long stretches of the same message type.
/// </summary>
internal sealed class TypeHashCache
{
    private readonly Dictionary<Type, ulong> hashes = new();
    private Type? lastType;
    private ulong lastHash;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Of(Type type)
    {
        if (ReferenceEquals(type, lastType)) return lastHash;
        return Lookup(type);
    }

    private ulong Lookup(Type type)
    {
        if (!hashes.TryGetValue(type, out var hash))
        {
            hash = StableHash.Of(type.FullName ?? type.Name);
            hashes.Add(type, hash);
        }
        lastType = type;
        lastHash = hash;
        return hash;
    }
}
