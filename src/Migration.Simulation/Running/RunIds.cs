using System.Globalization;
using System.Text;
using Migration.Persistence.Journal;

namespace Migration.Simulation.Running;

/// <summary>
/// Journal run ids people can read and type: <c>20261121-164910-thread-arguments-has-devices-s1</c>
/// (UTC wall-clock start, scenario, policy, seed), made only of letters, digits, '-', '_' and '.', and
/// made unique in the store with <c>-2</c>, <c>-3</c>... The time is metadata for people; nothing
/// simulated reads it.
/// </summary>
public static class RunIds
{
    /// <summary>The scenario part is cut to this many characters, so an id stays short enough to type.</summary>
    public const int ScenarioCharsMax = 64;

    /// <summary>Suffixes tried before giving up: a store with this many runs of one name in one second is a bug.</summary>
    public const int SuffixesMax = 10_000;

    public static string New(IJournalStore store, string scenario, string policy, ulong seed) =>
        New(store, scenario, policy, seed, DateTimeOffset.UtcNow);

    /// <summary>
    /// Ids for several runs at once, in order, none taken in the store nor by another of the batch:
    /// an experiment gives out its ids before its runs start, so that they do not depend on which ends first.
    /// </summary>
    public static IReadOnlyList<string> NewBatch(IJournalStore store, IReadOnlyList<(string Scenario, string Policy, ulong Seed)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var now = DateTimeOffset.UtcNow;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        return runs.Select(r => New(store, r.Scenario, r.Policy, r.Seed, now, taken)).ToArray();
    }

    public static string New(IJournalStore store, string scenario, string policy, ulong seed, DateTimeOffset now) =>
        New(store, scenario, policy, seed, now, taken: null);

    private static string New(IJournalStore store, string scenario, string policy, ulong seed, DateTimeOffset now, HashSet<string>? taken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(policy);
        var stem = string.Join('-',
            now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
            Clean(scenario, ScenarioCharsMax),
            Clean(policy, ScenarioCharsMax),
            "s" + seed.ToString(CultureInfo.InvariantCulture));
        if (Free(stem)) return stem;
        for (var suffix = 2; suffix <= SuffixesMax; suffix++)
        {
            var candidate = $"{stem}-{suffix.ToString(CultureInfo.InvariantCulture)}";
            if (Free(candidate)) return candidate;
        }
        throw new InvalidOperationException($"{store.DisplayUri} already holds runs {stem} to {stem}-{SuffixesMax}; no free run id is left");

        bool Free(string id) => store.ReadRun(id) is null && (taken is null || taken.Add(id));
    }

    /// <summary>Whether <paramref name="id"/> holds only the characters a run id may hold.</summary>
    public static bool IsWellFormed(string id) => id.Length > 0 && id.All(IsAllowed);

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    // A scenario file may be called anything: every other character becomes '-', runs of them one.
    private static string Clean(string part, int charsMax)
    {
        var cleaned = new StringBuilder(Math.Min(part.Length, charsMax));
        foreach (var c in part)
        {
            if (cleaned.Length == charsMax) break;
            var allowed = IsAllowed(c) ? c : '-';
            if (allowed == '-' && cleaned.Length > 0 && cleaned[^1] == '-') continue;
            cleaned.Append(allowed);
        }
        var trimmed = cleaned.ToString().Trim('-', '.');
        return trimmed.Length == 0 ? "run" : trimmed;
    }
}
