namespace Migration.Xen;

/// <summary>
/// SplitMix64 as a counter-based generator: the n-th draw of a stream is a pure function of (seed, n),
/// so what a workload or device did over any interval can be computed on demand, in any order, and
/// always comes out the same.
/// </summary>
public static class SplitMix
{
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong At(ulong seed, ulong index) => Mix(seed ^ Mix(index));

    /// <summary>A value in [0, 1) from the top 53 bits.</summary>
    public static double Unit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));

    /// <summary>Derives a stream's seed from the run seed and a stable label (a domain or device name).</summary>
    public static ulong Derive(ulong seed, string label) => Mix(seed ^ Mix(Fnv(FnvStart, label)));

    /// <summary>
    /// <see cref="Derive(ulong, string)"/> of <paramref name="prefix"/> followed by <paramref name="label"/>,
    /// without building the joined string (the same value).
    /// </summary>
    public static ulong Derive(ulong seed, string prefix, string label) => Mix(seed ^ Mix(Fnv(Fnv(FnvStart, prefix), label)));

    /// <summary>
    /// The part of <see cref="Derive(ulong, string, string)"/> that does not depend on the seed: a
    /// label's key, computed once and reused by every run (<see cref="DeriveFromKey"/> of it equals
    /// the derivation from the text).
    /// </summary>
    public static ulong LabelKey(string prefix, string label) => Mix(Fnv(Fnv(FnvStart, prefix), label));

    /// <summary>A stream's seed from the run seed and a label's key (see <see cref="LabelKey"/>).</summary>
    public static ulong DeriveFromKey(ulong seed, ulong labelKey) => Mix(seed ^ labelKey);

    private const ulong FnvStart = 0xCBF29CE484222325UL;

    private static ulong Fnv(ulong h, string text)
    {
        foreach (var c in text)
        {
            h ^= c;
            h *= 0x100000001B3UL;
        }
        return h;
    }
}
