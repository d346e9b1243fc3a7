namespace Migration.Scenarios.Generators;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: a tiny seeded generator whose sequence is fixed forever, so a
/// generated layout never changes with the .NET version (System.Random's algorithm may).
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15;

    private ulong state = seed;

    /// <summary>An independent generator for one part of a layout, so that changing one part's count leaves the others' draws alone.</summary>
    public static SplitMix64 ForStream(ulong seed, ulong stream) => new(Mix(seed ^ Mix(stream * GoldenGamma)));

    public ulong NextUInt64()
    {
        state += GoldenGamma;
        return Mix(state);
    }

    /// <summary>
    /// Uniform in [0, <paramref name="exclusiveMax"/>), by Lemire's multiply-high: no rejection loop,
    /// and a bias below 2^-32 for bounds under 2^32.
    /// </summary>
    public long NextInt64(long exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "must be positive");
        return (long)Math.BigMul(NextUInt64(), (ulong)exclusiveMax, out _);
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>], both inclusive.</summary>
    public int NextInt(int min, int max) => min + (int)NextInt64((long)max - min + 1);

    /// <summary>True once in <paramref name="n"/> draws on average.</summary>
    public bool OneIn(int n) => NextInt64(n) == 0;

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
