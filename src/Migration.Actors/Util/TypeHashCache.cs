using System.Runtime.CompilerServices;

namespace Migration.Actors.Util;

/// <summary>
/// Stable hashes of message type names, cached per scheduler. The last type seen is checked first:
/// a run delivers long stretches of the same message type.
/// </summary>
internal sealed class TypeHashCache
{
    private readonly Dictionary<nint, ulong> hashes = new();
    private nint lastHandle;
    private ulong lastHash;

    /// <summary>The stable hash of <paramref name="message"/>'s type (keyed on its type handle: no Type object is fetched).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Of(object message)
    {
        var handle = Type.GetTypeHandle(message).Value;
        if (handle == lastHandle) return lastHash;
        return Lookup(handle, message);
    }

    private ulong Lookup(nint handle, object message)
    {
        if (!hashes.TryGetValue(handle, out var hash))
        {
            var type = message.GetType();
            hash = StableHash.Of(type.FullName ?? type.Name);
            hashes.Add(handle, hash);
        }
        lastHandle = handle;
        lastHash = hash;
        return hash;
    }
}
