using System.Globalization;

namespace Migration.Cli.Arguments;

/// <summary>Parses <c>--seeds</c>: seeds and inclusive ranges separated by commas (<c>1-20</c>, <c>1,2,5</c>, <c>1-3,10</c>).</summary>
internal static class SeedList
{
    /// <summary>An experiment runs at most this many seeds per policy, so a typo (<c>1-1000000</c>) cannot run for days.</summary>
    public const int SeedsMax = 10_000;

    public static bool TryParse(string text, out IReadOnlyList<ulong> seeds, out string problem)
    {
        var parsed = new List<ulong>();
        var seen = new HashSet<ulong>();
        seeds = parsed;
        problem = "";
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryParseItem(item, out var first, out var last))
            {
                problem = $"--seeds: '{item}' in '{text}' is neither a seed nor a range; write e.g. 1-20 or 1,2,5 (seeds are whole numbers from 0)";
                return false;
            }
            if (last < first)
            {
                problem = $"--seeds: the range '{item}' runs backwards; write {last}-{first}";
                return false;
            }
            if (last - first >= SeedsMax || parsed.Count + (int)(last - first + 1) > SeedsMax)
            {
                problem = $"--seeds: '{text}' names more than {SeedsMax.ToString(CultureInfo.InvariantCulture)} seeds";
                return false;
            }
            for (var seed = first; ; seed++)
            {
                if (!seen.Add(seed))
                {
                    problem = $"--seeds: seed {seed} is named twice in '{text}'";
                    return false;
                }
                parsed.Add(seed);
                if (seed == last) break;
            }
        }
        return true;
    }

    private static bool TryParseItem(string item, out ulong first, out ulong last)
    {
        var dash = item.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var ok = TryParseSeed(item, out first);
            last = first;
            return ok;
        }
        last = 0;
        return TryParseSeed(item[..dash], out first) && TryParseSeed(item[(dash + 1)..], out last);
    }

    private static bool TryParseSeed(string text, out ulong seed) =>
        ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seed);
}
