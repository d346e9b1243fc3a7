using System.CommandLine;
using Migration.Persistence;
using Migration.Persistence.Journal;

namespace Migration.Cli.Arguments;

/// <summary>
/// <c>--journal URI</c> and <c>--no-journal</c>. The default journal is <c>sqlite:runs/journal.db</c>
/// relative to the current directory; commands that write create <c>runs/</c> for it. A journal that
/// cannot be opened is bad input, with the journal's own message (what is wrong, and where).
/// </summary>
internal sealed class JournalOptions
{
    public const string DefaultDirectory = "runs";
    public static readonly string DefaultPath = DefaultDirectory + "/journal.db";
    public static readonly string DefaultUri = JournalUri.SqliteScheme + DefaultPath;

    private JournalOptions(bool writing)
    {
        Journal = new Option<string?>("--journal")
        {
            Description = $"The journal: sqlite:PATH or postgres:CONNECTION-STRING. Default {DefaultUri} (in the current directory).",
            HelpName = "URI",
        };
        if (writing) NoJournal = new Option<bool>("--no-journal") { Description = "Write no journal (the run cannot be replayed)." };
    }

    public Option<string?> Journal { get; }

    public Option<bool>? NoJournal { get; }

    /// <summary>The options of a command that writes runs: --journal and --no-journal.</summary>
    public static JournalOptions ForWriting(Command command) => new JournalOptions(writing: true).AddTo(command);

    /// <summary>The option of a command that reads runs: --journal.</summary>
    public static JournalOptions ForReading(Command command) => new JournalOptions(writing: false).AddTo(command);

    private JournalOptions AddTo(Command command)
    {
        command.Options.Add(Journal);
        if (NoJournal is null) return this;
        command.Options.Add(NoJournal);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Journal) is not null && result.GetValue(NoJournal)) result.AddError("--journal and --no-journal contradict each other; give one");
        });
        return this;
    }

    /// <summary>The journal to write runs to, or null with --no-journal.</summary>
    public IJournalStore? OpenForWriting(ParseResult parse)
    {
        if (NoJournal is not null && parse.GetValue(NoJournal)) return null;
        if (parse.GetValue(Journal) is { } uri) return Open(uri);
        Directory.CreateDirectory(Path.Combine(Environment.CurrentDirectory, DefaultDirectory));
        return Open(DefaultUri);
    }

    /// <summary>The URI <see cref="OpenForWriting"/> opens, or null with --no-journal (for another process to open it too).</summary>
    public string? UriForWriting(ParseResult parse) => UriForWriting(parse, DefaultUri);

    /// <summary>The journal given, else <paramref name="fallback"/> (a config's), or null with --no-journal.</summary>
    public string? UriForWriting(ParseResult parse, string fallback)
    {
        if (NoJournal is not null && parse.GetValue(NoJournal)) return null;
        return parse.GetValue(Journal) ?? fallback;
    }

    /// <summary>
    /// Opens a journal to write to that a config names: a SQLite file's missing directory is made
    /// (as for the default journal); a journal that cannot be opened is bad input.
    /// </summary>
    public static IJournalStore OpenConfigured(string uri)
    {
        if (uri.StartsWith(JournalUri.SqliteScheme, StringComparison.Ordinal) && Path.GetDirectoryName(uri[JournalUri.SqliteScheme.Length..]) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);
        return Open(uri);
    }

    /// <summary>The journal to read runs from; a SQLite file that does not exist is bad input (reading never creates one).</summary>
    public IJournalStore OpenForReading(ParseResult parse)
    {
        var uri = parse.GetValue(Journal) ?? DefaultUri;
        if (uri.StartsWith(JournalUri.SqliteScheme, StringComparison.Ordinal) && uri.Length > JournalUri.SqliteScheme.Length)
        {
            var path = uri[JournalUri.SqliteScheme.Length..];
            if (!File.Exists(path))
                throw new BadInputException($"{uri}: there is no journal at {Path.GetFullPath(path)}; `migration run` writes one there, or name another with --journal URI");
        }
        return Open(uri);
    }

    /// <summary>How to name this journal in a command line shown to people: nothing for the default.</summary>
    public static string ArgumentFor(IJournalStore store) => store.DisplayUri == DefaultUri ? "" : $" --journal '{store.DisplayUri}'";

    private static IJournalStore Open(string uri)
    {
        try
        {
            return JournalUri.Open(uri);
        }
        catch (JournalException e)
        {
            throw new BadInputException(e.Message, e);
        }
    }
}
