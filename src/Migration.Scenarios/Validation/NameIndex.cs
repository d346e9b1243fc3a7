using Migration.Scenarios.Loading;

namespace Migration.Scenarios.Validation;

/// <summary>
/// The named items of one list of a scenario (hosts or domains), in the order written: finds a
/// duplicate name when adding and names the valid choices when a reference does not resolve.
/// </summary>
internal sealed class NameIndex<T>(string noun, string listPath)
{
    /// <summary>How many names an error message lists before saying how many more there are.</summary>
    private const int ListedNamesMax = 12;

    public const int NameLengthMax = 64;

    private readonly Dictionary<string, (int Index, T Item)> itemsByName = new(StringComparer.Ordinal);
    private readonly List<string> names = [];

    public void Add(int index, string name, T item, SourceMap map)
    {
        var path = SourceMap.Child(SourceMap.Item(listPath, index), "name");
        if (name.Length == 0) throw map.Error(path, "must not be empty");
        // Names become actor names, journal persistence ids and tags: keep them to a safe alphabet.
        if (name.Length > NameLengthMax || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw map.Error(path, $"'{name}' must be 1 to {NameLengthMax} letters, digits, '-', '_' or '.'");
        if (itemsByName.TryGetValue(name, out var first))
        {
            throw map.Error(path, $"'{name}' is already the name of {SourceMap.Item(listPath, first.Index)}; {noun} names must be unique");
        }
        itemsByName.Add(name, (index, item));
        names.Add(name);
    }

    /// <summary>The item named <paramref name="name"/>; otherwise an error at <paramref name="path"/> listing the names.</summary>
    public T Resolve(string name, string path, SourceMap map)
    {
        if (itemsByName.TryGetValue(name, out var found)) return found.Item;
        throw map.Error(path, $"'{name}' is not a {noun} of this scenario ({noun}s: {Describe()})");
    }

    private string Describe()
    {
        if (names.Count == 0) return "none";
        var shown = string.Join(", ", names.Take(ListedNamesMax));
        return names.Count <= ListedNamesMax ? shown : $"{shown}, and {names.Count - ListedNamesMax} more";
    }
}
