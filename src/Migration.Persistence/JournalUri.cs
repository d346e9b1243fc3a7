using Migration.Persistence.Journal;
using Migration.Persistence.Postgres;
using Migration.Persistence.Sqlite;

namespace Migration.Persistence;

/// <summary>
/// Names a journal: <c>sqlite:PATH</c> (the embedded default) or <c>postgres:CONNECTION-STRING</c>
/// (an Npgsql connection string, e.g. <c>postgres:Host=localhost;Username=u;Password=p;Database=d</c>).
/// </summary>
public static class JournalUri
{
    public const string SqliteScheme = "sqlite:";
    public const string PostgresScheme = "postgres:";

    /// <summary>Opens the journal <paramref name="uri"/> names, creating its schema if the database is empty.</summary>
    public static IJournalStore Open(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith(SqliteScheme, StringComparison.Ordinal))
        {
            var path = uri[SqliteScheme.Length..];
            if (path.Length == 0) throw new JournalException($"journal URI '{uri}' names no file: write sqlite:PATH, e.g. sqlite:runs/journal.db");
            return SqliteJournalStore.Open(path);
        }
        if (uri.StartsWith(PostgresScheme, StringComparison.Ordinal))
        {
            var connectionString = uri[PostgresScheme.Length..];
            if (connectionString.Length == 0)
                throw new JournalException($"journal URI '{uri}' has no connection string: write postgres:Host=...;Username=...;Password=...;Database=...");
            return PostgresJournalStore.Open(connectionString);
        }
        throw new JournalException($"journal URI '{Redact(uri)}' must start with '{SqliteScheme}' (a file) or '{PostgresScheme}' (a connection string)");
    }

    /// <summary>
    /// The URI as another process would need it: a SQLite file's relative path made absolute
    /// (against this process's current directory); any other URI unchanged.
    /// </summary>
    public static string Absolute(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith(SqliteScheme, StringComparison.Ordinal) || uri.Length == SqliteScheme.Length) return uri;
        return SqliteScheme + Path.GetFullPath(uri[SqliteScheme.Length..]);
    }

    /// <summary>The URI with any password removed, for messages.</summary>
    public static string Redact(string uri) =>
        System.Text.RegularExpressions.Regex.Replace(uri, "(?i)(password|pwd)=[^;]*", "$1=***");
}
