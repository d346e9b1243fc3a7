using Migration.Persistence.Journal;
using Migration.Persistence.Postgres;
using Migration.Persistence.Sqlite;
using Npgsql;

namespace Migration.Persistence.Tests;

/// <summary>A fresh, empty journal on one back end, which a test can reopen and poke at with raw SQL.</summary>
public abstract class JournalBackend : IDisposable
{
    public abstract string Name { get; }

    public abstract IJournalStore Open();

    /// <summary>Runs raw SQL against the journal's database (to damage it on purpose).</summary>
    public abstract void ExecuteRaw(string sql);

    public abstract void Dispose();

    public static JournalBackend Create(string name) => name switch
    {
        "sqlite" => new SqliteBackend(),
        "postgres" => new PostgresBackend(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "sqlite or postgres"),
    };

    private sealed class SqliteBackend : JournalBackend
    {
        private readonly string directory = Directory.CreateTempSubdirectory("migration-journal-").FullName;

        public override string Name => "sqlite";

        public string Path => System.IO.Path.Combine(directory, "journal.db");

        public override IJournalStore Open() => SqliteJournalStore.Open(Path);

        public override void ExecuteRaw(string sql)
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        public override void Dispose() => Directory.Delete(directory, recursive: true);
    }

    private sealed class PostgresBackend : JournalBackend
    {
        private readonly string schema;
        private readonly string connectionString;

        public PostgresBackend() => connectionString = PostgresTestDatabase.CreateSchema(out schema);

        public override string Name => "postgres";

        public override IJournalStore Open() => PostgresJournalStore.Open(connectionString);

        public override void ExecuteRaw(string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }

        public override void Dispose() => PostgresTestDatabase.DropSchema(schema);
    }
}
