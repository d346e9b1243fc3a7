using System.Diagnostics.CodeAnalysis;
using Migration.Scenarios.Model;
using YamlDotNet.RepresentationModel;

namespace Migration.Scenarios.Loading;

/// <summary>
/// One YAML mapping of a scenario file, read field by field: every value read is recorded in the
/// <see cref="SourceMap"/>, and every problem becomes a <see cref="ScenarioException"/> naming the
/// line and the field path. A key written with no value (or <c>~</c>, <c>null</c>) counts as absent.
/// </summary>
internal sealed class MappingReader
{
    private readonly YamlMappingNode node;

    private MappingReader(YamlMappingNode node, string path, SourceMap map, long line)
    {
        this.node = node;
        Path = path;
        Map = map;
        Line = line;
    }

    /// <summary>The field path of this mapping (empty for the document's root).</summary>
    public string Path { get; }

    public SourceMap Map { get; }

    /// <summary>The line of the key this mapping is the value of (of its first key for a list item or the root).</summary>
    public long Line { get; }

    /// <summary>Reads <paramref name="value"/> as a mapping; with <paramref name="keys"/>, any other key is an error.</summary>
    /// <param name="line">The line to report the mapping at (its key's), when not the mapping's own first line.</param>
    public static MappingReader Open(YamlNode value, string path, SourceMap map, IReadOnlyList<string>? keys, long? line = null)
    {
        if (value is not YamlMappingNode mapping)
        {
            throw map.ErrorAt(value.Start.Line, path, $"expected a mapping (key: value lines), found {Describe(value)}");
        }
        var reader = new MappingReader(mapping, path, map, line ?? value.Start.Line);
        map.Record(path, reader.Line);
        if (keys is not null) reader.RejectUnknownKeys(keys, "");
        return reader;
    }

    /// <summary>
    /// Fails on the first key not in <paramref name="keys"/>; <paramref name="qualifier"/> says for
    /// what, e.g. " for a simgrid generator".
    /// </summary>
    public void RejectUnknownKeys(IReadOnlyList<string> keys, string qualifier)
    {
        foreach (var key in node.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw Map.ErrorAt(key.Start.Line, Path, $"a key must be a plain name, found {Describe(key)}");
            }
            if (!keys.Contains(name, StringComparer.Ordinal))
            {
                throw Map.ErrorAt(key.Start.Line, SourceMap.Child(Path, name), $"unknown key{qualifier} (valid keys: {string.Join(", ", keys)})");
            }
        }
    }

    /// <summary>Whether <paramref name="key"/> is written with a value.</summary>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>The line of <paramref name="key"/>, or of this mapping when it is absent.</summary>
    public long LineOf(string key) => Find(key)?.Key.Start.Line ?? Line;

    public bool TryRead<T>(string key, ScalarParser<T> parse, [MaybeNullWhen(false)] out T value)
    {
        value = default;
        var found = Find(key)?.Value;
        if (found is null) return false;
        value = ParseScalar(found, SourceMap.Child(Path, key), parse);
        return true;
    }

    /// <summary>One scalar node's value, recorded at <paramref name="path"/>; a located error when it is not a single value or does not parse.</summary>
    private T ParseScalar<T>(YamlNode node, string path, ScalarParser<T> parse)
    {
        if (node is not YamlScalarNode scalar) throw Map.ErrorAt(node.Start.Line, path, $"expected a single value, found {Describe(node)}");
        Map.Record(path, node.Start.Line);
        return parse(scalar.Value ?? "", out var value, out var error) ? value : throw Map.ErrorAt(node.Start.Line, path, error);
    }

    public T Get<T>(string key, ScalarParser<T> parse, T fallback) => TryRead(key, parse, out var value) ? value : fallback;

    public T Require<T>(string key, ScalarParser<T> parse) => TryRead(key, parse, out var value) ? value : throw Missing(key);

    /// <summary>The nested mapping under <paramref name="key"/>, or null when absent.</summary>
    public MappingReader? Child(string key, IReadOnlyList<string>? keys)
    {
        var found = Find(key);
        return found is null ? null : Open(found.Value.Value, SourceMap.Child(Path, key), Map, keys, found.Value.Key.Start.Line);
    }

    /// <summary>The list of mappings under <paramref name="key"/> (empty when absent), each path <c>key[i]</c>.</summary>
    public IReadOnlyList<MappingReader> Items(string key, IReadOnlyList<string> keys)
    {
        if (Sequence(key, "lines starting with '- '") is not { } list) return [];
        return list.Sequence.Children.Select((item, index) => Open(item, SourceMap.Item(list.Path, index), Map, keys)).ToArray();
    }

    /// <summary>The list of single values under <paramref name="key"/> (empty when absent), each checked by <paramref name="parse"/> at its path <c>key[i]</c>.</summary>
    public IReadOnlyList<T> Scalars<T>(string key, ScalarParser<T> parse)
    {
        if (Sequence(key, "[1, 2] or lines starting with '- '") is not { } list) return [];
        return list.Sequence.Children.Select((item, index) => ParseScalar(item, SourceMap.Item(list.Path, index), parse)).ToArray();
    }

    /// <summary>The list under <paramref name="key"/> and its path (null when absent), recorded; a located error when it is not a list (<paramref name="written"/>: how one is written).</summary>
    private (YamlSequenceNode Sequence, string Path)? Sequence(string key, string written)
    {
        var found = Find(key);
        if (found is null) return null;
        var path = SourceMap.Child(Path, key);
        if (found.Value.Value is not YamlSequenceNode sequence)
        {
            throw Map.ErrorAt(found.Value.Value.Start.Line, path, $"expected a list ({written}), found {Describe(found.Value.Value)}");
        }
        Map.Record(path, found.Value.Key.Start.Line);
        return (sequence, path);
    }

    public ScenarioException Missing(string key) => Map.ErrorAt(Line, SourceMap.Child(Path, key), "is required but missing");

    /// <summary>An error at <paramref name="key"/>'s line (this mapping's when absent).</summary>
    public ScenarioException Error(string key, string message) => Map.ErrorAt(LineOf(key), SourceMap.Child(Path, key), message);

    /// <summary>The key node and its value, or null when the key is absent or its value is null.</summary>
    private (YamlNode Key, YamlNode Value)? Find(string key)
    {
        foreach (var (candidate, value) in node.Children)
        {
            if (candidate is YamlScalarNode { Value: { } name } && string.Equals(name, key, StringComparison.Ordinal))
            {
                return IsNull(value) ? null : (candidate, value);
            }
        }
        return null;
    }

    private static bool IsNull(YamlNode value) =>
        value is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode value) => value switch
    {
        YamlScalarNode scalar => $"the value '{scalar.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };
}
