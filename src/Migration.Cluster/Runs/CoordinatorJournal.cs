using Akka.Configuration;
using Migration.Cluster.Configuration;
using Migration.Persistence;

namespace Migration.Cluster.Runs;

/// <summary>
/// The run coordinator's durable state on Akka.Persistence.Sql: the plugin's configuration for the
/// config's <c>migration.cluster.coordinator-journal</c> (SQLite through Microsoft.Data.Sqlite,
/// PostgreSQL through Npgsql), tables made on first use. Every node carries it: the singleton may
/// start on any of them.
/// </summary>
public static class CoordinatorJournal
{
    public const string JournalPlugin = "akka.persistence.journal.sql";
    public const string SnapshotPlugin = "akka.persistence.snapshot-store.sql";

    /// <summary>The persistence settings for <paramref name="settings"/>, over Akka.Persistence.Sql's defaults.</summary>
    public static Config Hocon(ClusterConfig settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string provider, connectionString;
        try
        {
            (provider, connectionString) = Connection(settings.CoordinatorJournal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClusterConfigException(
                $"{settings.ConfigPath}: migration.cluster.coordinator-journal '{JournalUri.Redact(settings.CoordinatorJournal)}': its directory cannot be made: {e.Message}");
        }
        var quoted = Quote(connectionString);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "{{JournalPlugin}}"
                sql { connection-string = {{quoted}}, provider-name = "{{provider}}", auto-initialize = true }
              }
              snapshot-store {
                plugin = "{{SnapshotPlugin}}"
                sql { connection-string = {{quoted}}, provider-name = "{{provider}}", auto-initialize = true }
              }
            }
            """).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    /// <summary>linq2db's provider name and the connection string for a coordinator journal URI; a SQLite file's directory is made.</summary>
    public static (string Provider, string ConnectionString) Connection(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith(JournalUri.PostgresScheme, StringComparison.Ordinal)) return ("PostgreSQL.15", uri[JournalUri.PostgresScheme.Length..]);
        var path = Path.GetFullPath(uri[JournalUri.SqliteScheme.Length..]);
        if (Path.GetDirectoryName(path) is { } directory) Directory.CreateDirectory(directory);
        return ("SQLite.MS", new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString());
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
