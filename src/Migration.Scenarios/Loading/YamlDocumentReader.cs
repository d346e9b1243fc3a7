using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Migration.Scenarios.Loading;

/// <summary>
/// Turns a scenario file's text into its one YAML document's root node, every YamlDotNet error
/// becoming a located <see cref="Model.ScenarioException"/>.
/// </summary>
internal static class YamlDocumentReader
{
    /// <summary>
    /// Scenario files nest four levels at most; YamlDotNet builds nodes recursively, so a file nested
    /// a hundred thousand deep would overflow the stack and kill the process rather than fail.
    /// </summary>
    private const int NestingDepthMax = 32;

    public static YamlNode ReadRoot(string yamlText, SourceMap map)
    {
        var stream = new YamlStream();
        try
        {
            CheckNestingDepth(yamlText, map);
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            throw map.ErrorAt(e.Start.Line, "", $"malformed YAML: {e.Message}");
        }
        if (stream.Documents.Count == 0) throw map.ErrorAt(1, "", "the file is empty; a scenario needs hosts: (or generator:)");
        if (stream.Documents.Count > 1)
        {
            throw map.ErrorAt(stream.Documents[1].RootNode.Start.Line, "", "a second YAML document (after ---); a scenario file holds one");
        }
        return stream.Documents[0].RootNode;
    }

    /// <summary>Walks the parser's events (which needs no recursion) before the nodes are built.</summary>
    private static void CheckNestingDepth(string yamlText, SourceMap map)
    {
        var parser = new Parser(new StringReader(yamlText));
        var depth = 0;
        while (MoveNext(parser, map))
        {
            depth += parser.Current switch
            {
                MappingStart or SequenceStart => 1,
                MappingEnd or SequenceEnd => -1,
                _ => 0,
            };
            if (depth > NestingDepthMax)
            {
                throw map.ErrorAt(parser.Current!.Start.Line, "", $"nested more than {NestingDepthMax} levels deep; a scenario needs four at most");
            }
        }
    }

    /// <summary>
    /// The parser's next event. Some malformed text (a flow mapping left open, for one) makes
    /// YamlDotNet's scanner fail with an InvalidOperationException rather than a YamlException: it is
    /// reported at the last line read, where the text stopped making sense.
    /// </summary>
    private static bool MoveNext(Parser parser, SourceMap map)
    {
        var line = parser.Current?.End.Line ?? 1;
        try
        {
            return parser.MoveNext();
        }
        catch (InvalidOperationException)
        {
            throw map.ErrorAt((int)line, "", "malformed YAML: cannot read on from here (is a '{' or '[' left open?)");
        }
    }
}
