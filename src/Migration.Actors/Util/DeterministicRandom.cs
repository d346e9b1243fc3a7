using System.Numerics;

namespace Migration.Actors.Util;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Every random choice in a simulation comes from one of
/// these, derived from the run's seed and a stable label (an actor's path), so a seed reproduces
/// a run exactly. Not thread-safe: each actor owns its own.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong s0, s1, s2, s3;

    public DeterministicRandom(ulong seed)
    {
        var x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>A generator for <paramref name="label"/> that does not depend on any other generator's use.</summary>
    public static DeterministicRandom Derive(ulong seed, string label) =>
        new(StableHash.Add(StableHash.Mix(seed), StableHash.Of(label)));

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>).</summary>
    public int Next(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "must be positive");
        return (int)NextBounded((ulong)exclusiveMax);
    }

    /// <summary>A uniform integer in [<paramref name="inclusiveMin"/>, <paramref name="exclusiveMax"/>).</summary>
    public long Next(long inclusiveMin, long exclusiveMax)
    {
        if (exclusiveMax <= inclusiveMin)
            throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, $"must exceed {inclusiveMin}");
        return inclusiveMin + (long)NextBounded((ulong)(exclusiveMax - inclusiveMin));
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool(double probabilityTrue) => NextDouble() < probabilityTrue;

    /// <summary>Lemire's unbiased bounded integer.</summary>
    private ulong NextBounded(ulong exclusiveMax)
    {
        var product = Math.BigMul(NextUInt64(), exclusiveMax, out var low);
        if (low < exclusiveMax)
        {
            var threshold = (0 - exclusiveMax) % exclusiveMax;
            while (low < threshold) product = Math.BigMul(NextUInt64(), exclusiveMax, out low);
        }
        return product;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(x);
    }
}
