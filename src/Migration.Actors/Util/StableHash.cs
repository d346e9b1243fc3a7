using System.Numerics;
using System.Runtime.CompilerServices;

namespace Migration.Actors.Util;

/// <summary>
/// Hashes that are the same in every process and every run (unlike <see cref="string.GetHashCode()"/>,
/// which .NET randomizes per process). Used for actor paths, type names and the run's digest.
/// </summary>
public static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const ulong Prime1 = 11400714785074694791UL;
    private const ulong Prime2 = 14029467366897019727UL;

    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="text"/>, finished with a mix.</summary>
    public static ulong Of(string text) => Mix(Continue(FnvStart, text));

    /// <summary>The FNV-1a state before any text (for hashing text given in pieces with <see cref="Continue"/>).</summary>
    internal const ulong FnvStart = FnvOffset;

    /// <summary>
    /// The FNV-1a state after <paramref name="text"/> follows what <paramref name="state"/> hashed:
    /// <c>Mix(Continue(Continue(FnvStart, a), b)) == Of(a + b)</c>.
    /// </summary>
    internal static ulong Continue(ulong state, string text)
    {
        foreach (var c in text)
        {
            state ^= c;
            state *= FnvPrime;
        }
        return state;
    }

    /// <summary>Folds <paramref name="value"/> into <paramref name="accumulator"/> (an xxHash64 round).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong accumulator, ulong value) =>
        BitOperations.RotateLeft(accumulator + value * Prime2, 31) * Prime1;

    /// <summary>A full-avalanche finalizer (SplitMix64's), so nearby inputs give unrelated outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong value)
    {
        value ^= value >> 30;
        value *= 0xBF58476D1CE4E5B9UL;
        value ^= value >> 27;
        value *= 0x94D049BB133111EBUL;
        value ^= value >> 31;
        return value;
    }
}
