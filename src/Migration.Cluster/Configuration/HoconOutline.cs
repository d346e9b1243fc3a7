namespace Migration.Cluster.Configuration;

/// <summary>
/// A first, structural read of a HOCON file before Akka's parser sees it: brackets that balance,
/// strings and substitutions that close, a value after every <c>=</c>, each problem named by file
/// and line. It also records the line of every key path (<c>migration.cluster.nodes[1].port</c>), so
/// checks made after Akka has parsed the file can still name the line.
/// </summary>
/// <remarks>
/// Akka's HOCON parser is lenient, and on some malformed input (an array left open before a
/// closing brace) it never returns: a config must not be able to hang a node, so this runs first.
/// </remarks>
internal sealed class HoconOutline
{
    /// <summary>Config files are a few kilobytes; anything this large is a mistake.</summary>
    public const int TextLengthMax = 1 << 20;

    private const int NestingMax = 64;

    private readonly Dictionary<string, int> linesByPath = new(StringComparer.Ordinal);

    private HoconOutline(string source) => Source = source;

    public string Source { get; }

    /// <summary>The line <paramref name="path"/> was written on, or of its nearest written ancestor, or 0.</summary>
    public int LineOf(string path)
    {
        for (var candidate = path; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (linesByPath.TryGetValue(candidate, out var line)) return line;
        }
        return 0;
    }

    public bool Has(string path) => linesByPath.ContainsKey(path);

    /// <summary>Every key path written in the file.</summary>
    public IReadOnlyCollection<string> Paths => linesByPath.Keys;

    /// <summary>An error at <paramref name="path"/>'s line: <c>FILE:LINE: PATH: MESSAGE</c>.</summary>
    public ClusterConfigException Error(string path, string message)
    {
        var line = LineOf(path);
        return new ClusterConfigException(line > 0 ? $"{Source}:{line}: {path}: {message}" : $"{Source}: {path}: {message}");
    }

    public static HoconOutline Read(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > TextLengthMax) throw new ClusterConfigException($"{source}: {text.Length:N0} characters is more than a config file may have ({TextLengthMax:N0})");
        var outline = new HoconOutline(source);
        new Reader(text, outline).ReadAll();
        return outline;
    }

    private static string Parent(string path)
    {
        var cut = path.LastIndexOfAny(['.', '[']);
        return cut < 0 ? "" : path[..cut];
    }

    private enum FrameKind
    {
        Object,
        Array,
    }

    /// <summary>An open brace or bracket: what it opened, where, and the key path of what is inside.</summary>
    private sealed class Frame(FrameKind kind, int line, string path)
    {
        public FrameKind Kind { get; } = kind;
        public int Line { get; } = line;
        public string Path { get; } = path;
        public int Elements { get; set; }
        public string? Key { get; set; }
        public bool ExpectingValue { get; set; }
    }

    /// <summary>The tokenizer: one pass over the text, with the frames open at each point.</summary>
    private sealed class Reader(string text, HoconOutline outline)
    {
        private readonly Stack<Frame> frames = new();
        private int at;
        private int line = 1;

        private Frame Top => frames.Peek();

        public void ReadAll()
        {
            SkipSpaceAndComments(stopAtNewline: false);
            // A file may wrap its root in braces, or not.
            if (at < text.Length && text[at] == '{')
            {
                at++;
                frames.Push(new Frame(FrameKind.Object, line, ""));
            }
            else
            {
                frames.Push(new Frame(FrameKind.Object, 0, ""));
            }
            while (true)
            {
                SkipSpaceAndComments(stopAtNewline: Top.ExpectingValue);
                if (at >= text.Length) break;
                var c = text[at];
                if (c == '\n')
                {
                    MissingValue();
                    continue;
                }
                if (Top.Kind == FrameKind.Object && !Top.ExpectingValue) ReadKey();
                else ReadValue();
            }
            if (Top.ExpectingValue) MissingValue();
            // What is still open at the end: the innermost first (the root counts only if it had a brace).
            if (frames.Count > 1 || Top.Line > 0) throw Fail(Top.Line, $"the '{Opener(Top)}' opened here is never closed");
        }

        private void ReadKey()
        {
            var c = text[at];
            if (c == '}')
            {
                Close(FrameKind.Object, '}');
                return;
            }
            if (c is ']' or ',' or '=' or ':')
            {
                if (c == ',')
                {
                    at++;
                    return;
                }
                throw Fail(line, $"'{c}' where a key was expected");
            }
            var key = ReadKeyText();
            var path = Child(Top.Path, key);
            outline.linesByPath[path] = line;
            RecordParents(path);
            SkipSpaceAndComments(stopAtNewline: true);
            if (at >= text.Length || text[at] == '\n') throw Fail(line, $"'{key}' has no value (write {key} = VALUE)");
            if (text[at] == '{')
            {
                // An object value needs no '='.
                Top.Key = key;
                Top.ExpectingValue = true;
                return;
            }
            if (text[at] is '=' or ':') at++;
            else if (text[at] == '+' && at + 1 < text.Length && text[at + 1] == '=') at += 2;
            else throw Fail(line, $"'{key}' is followed by '{text[at]}' where '=' was expected");
            Top.Key = key;
            Top.ExpectingValue = true;
        }

        private void ReadValue()
        {
            var frame = Top;
            var c = text[at];
            var path = frame.Kind == FrameKind.Array ? $"{frame.Path}[{frame.Elements}]" : Child(frame.Path, frame.Key!);
            switch (c)
            {
                case '{':
                    at++;
                    Begin();
                    Open(FrameKind.Object, path);
                    return;
                case '[':
                    at++;
                    Begin();
                    Open(FrameKind.Array, path);
                    return;
                case '}':
                    if (frame.Kind == FrameKind.Object && frame.ExpectingValue) MissingValue();
                    Close(FrameKind.Object, '}');
                    return;
                case ']':
                    if (frame.Kind == FrameKind.Object && frame.ExpectingValue) MissingValue();
                    Close(FrameKind.Array, ']');
                    return;
                case ',':
                    if (frame.Kind == FrameKind.Object) MissingValue();
                    at++;
                    return;
            }
            Begin();
            // A scalar (possibly several concatenated on one line, with substitutions).
            while (at < text.Length && text[at] is not ('\n' or ',' or '}' or ']' or '{' or '['))
            {
                if (text[at] == '#' || (text[at] == '/' && at + 1 < text.Length && text[at + 1] == '/')) break;
                if (text[at] == '"') ReadQuoted();
                else if (text[at] == '$' && at + 1 < text.Length && text[at + 1] == '{') ReadSubstitution();
                else at++;
            }
            if (frame.Kind == FrameKind.Object) frame.ExpectingValue = false;
        }

        /// <summary>A value starts: an array counts it, an object's key has it.</summary>
        private void Begin()
        {
            if (Top.Kind == FrameKind.Array) Top.Elements++;
            else Top.ExpectingValue = false;
        }

        private void Open(FrameKind kind, string path)
        {
            if (frames.Count >= NestingMax) throw Fail(line, $"more than {NestingMax} levels of nesting");
            // In an array, the element just counted is at index Elements - 1.
            var inner = Top.Kind == FrameKind.Array ? $"{Top.Path}[{Top.Elements - 1}]" : path;
            if (Top.Kind == FrameKind.Array) outline.linesByPath[inner] = line;
            frames.Push(new Frame(kind, line, inner));
        }

        private void Close(FrameKind kind, char closer)
        {
            var frame = Top;
            if (frame.Kind != kind || (frames.Count == 1 && frame.Line == 0))
            {
                if (frames.Count == 1 && frame.Line == 0) throw Fail(line, $"'{closer}' closes nothing");
                throw Fail(line, $"'{closer}' closes the '{Opener(frame)}' opened at line {frame.Line}");
            }
            at++;
            frames.Pop();
        }

        private string ReadKeyText()
        {
            var start = at;
            var key = new System.Text.StringBuilder();
            while (at < text.Length && text[at] is not ('=' or ':' or '{' or '\n' or '}' or ',' or '[' or ']'))
            {
                if (text[at] == '+' && at + 1 < text.Length && text[at + 1] == '=') break;
                if (text[at] == '#' || (text[at] == '/' && at + 1 < text.Length && text[at + 1] == '/')) break;
                if (text[at] == '"')
                {
                    var begin = at;
                    ReadQuoted();
                    key.Append(text, begin + 1, at - begin - 2);
                }
                else
                {
                    key.Append(text[at]);
                    at++;
                }
            }
            var result = key.ToString().Trim();
            if (result.Length == 0) throw Fail(line, $"'{(at < text.Length ? text[at] : ' ')}' where a key was expected (after '{text[start..at]}')");
            return result;
        }

        private void ReadQuoted()
        {
            var startLine = line;
            if (at + 2 < text.Length && text[at + 1] == '"' && text[at + 2] == '"')
            {
                var end = text.IndexOf("\"\"\"", at + 3, StringComparison.Ordinal);
                if (end < 0) throw Fail(startLine, "the \"\"\" string opened here is never closed");
                for (var i = at; i < end; i++) if (text[i] == '\n') line++;
                at = end + 3;
                return;
            }
            at++;
            while (at < text.Length && text[at] != '"')
            {
                if (text[at] == '\n') throw Fail(startLine, "a string is not closed on its line (a '\"' is missing)");
                if (text[at] == '\\') at++;
                at++;
            }
            if (at >= text.Length) throw Fail(startLine, "a string is not closed (a '\"' is missing)");
            at++;
        }

        private void ReadSubstitution()
        {
            var startLine = line;
            var end = text.IndexOf('}', at);
            var newline = text.IndexOf('\n', at);
            if (end < 0 || (newline >= 0 && newline < end)) throw Fail(startLine, "a ${...} substitution is not closed on its line");
            at = end + 1;
        }

        private void MissingValue()
        {
            var key = Top.Key ?? "";
            throw Fail(line, $"'{key}' has no value after its '='");
        }

        private void RecordParents(string path)
        {
            for (var parent = Parent(path); parent.Length > 0; parent = Parent(parent)) outline.linesByPath.TryAdd(parent, line);
        }

        private void SkipSpaceAndComments(bool stopAtNewline)
        {
            while (at < text.Length)
            {
                var c = text[at];
                if (c == '\n')
                {
                    if (stopAtNewline) return;
                    line++;
                    at++;
                }
                else if (char.IsWhiteSpace(c) || c == '\uFEFF')
                {
                    at++;
                }
                else if (c == '#' || (c == '/' && at + 1 < text.Length && text[at + 1] == '/'))
                {
                    while (at < text.Length && text[at] != '\n') at++;
                }
                else
                {
                    return;
                }
            }
        }

        private static char Opener(Frame frame) => frame.Kind == FrameKind.Object ? '{' : '[';

        private ClusterConfigException Fail(int atLine, string message) => new($"{outline.Source}:{atLine}: {message}");

        private static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";
    }
}
