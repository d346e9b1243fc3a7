using Migration.Persistence.Journal;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Persistence.Postgres;

/// <summary>
/// The shared journal, for clusters that span machines. A window is one transaction: its orderings
/// are drawn from the journal's sequence in one round trip, then its rows go in by binary COPY.
/// </summary>
public sealed class PostgresJournalStore : SqlJournalStore
{
    private PostgresJournalStore(NpgsqlConnection connection, string displayUri)
        : base(connection, displayUri)
    {
    }

    protected override IEnumerable<string> CreateSchemaStatements =>
    [
        "CREATE TABLE journal_metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE journal (ordering BIGSERIAL PRIMARY KEY, persistence_id TEXT NOT NULL, sequence_nr BIGINT NOT NULL, " +
        "created BIGINT NOT NULL, tags TEXT NOT NULL, manifest TEXT NOT NULL, payload BYTEA NOT NULL, writer TEXT NOT NULL, " +
        "deleted BOOLEAN NOT NULL DEFAULT FALSE, UNIQUE (persistence_id, sequence_nr))",
        "CREATE TABLE tags (ordering BIGINT NOT NULL, tag TEXT NOT NULL, persistence_id TEXT NOT NULL, sequence_nr BIGINT NOT NULL, " +
        "PRIMARY KEY (tag, ordering))",
        "CREATE TABLE snapshots (persistence_id TEXT NOT NULL, sequence_nr BIGINT NOT NULL, created BIGINT NOT NULL, " +
        "manifest TEXT NOT NULL, payload BYTEA NOT NULL, PRIMARY KEY (persistence_id, sequence_nr))",
        "CREATE TABLE runs (run_id TEXT PRIMARY KEY, description TEXT NOT NULL, seed TEXT NOT NULL, settings TEXT NOT NULL, " +
        "engine_version TEXT NOT NULL, result_hash TEXT, started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL, " +
        "committed_ticks BIGINT NOT NULL DEFAULT 0)",
    ];

    protected override string MetadataTableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'journal_metadata'";

    protected override string JournalTableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('journal', 'snapshots', 'tags', 'runs')";

    /// <summary>Connects with an Npgsql connection string and creates or checks the schema.</summary>
    public static PostgresJournalStore Open(string connectionString)
    {
        var (connection, display) = Connect(connectionString);
        try
        {
            var store = new PostgresJournalStore(connection, display);
            try
            {
                store.EnsureSchema();
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is not JournalException && e is not ObjectDisposedException)
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Checks that the server can be reached and accepts the login, touching no table.</summary>
    public static void CheckConnection(string connectionString) => Connect(connectionString).Connection.Dispose();

    /// <summary>An open connection, or a <see cref="JournalException"/> saying what is wrong (never the password).</summary>
    private static (NpgsqlConnection Connection, string Display) Connect(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException)
        {
            // Npgsql reports an unknown keyword as a missing dictionary key: say which part is wrong.
            var what = e is KeyNotFoundException ? "it has a keyword Npgsql does not know" : e.Message;
            throw new JournalException($"postgres: the connection string is malformed: {what} (expected e.g. Host=localhost;Username=u;Password=p;Database=d)", e);
        }
        var display = $"postgres:Host={builder.Host};Port={builder.Port};Database={builder.Database};Username={builder.Username}";
        if (string.IsNullOrEmpty(builder.Host)) throw new JournalException($"{display}: the connection string names no Host");
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            return (connection, display);
        }
        catch (PostgresException e) when (e.SqlState is "28P01" or "28000")
        {
            connection.Dispose();
            throw new JournalException($"{display}: PostgreSQL refused the login for user '{builder.Username}' ({e.MessageText}); check the username and password", e);
        }
        catch (PostgresException e) when (e.SqlState == "3D000")
        {
            connection.Dispose();
            throw new JournalException($"{display}: the database '{builder.Database}' does not exist; create it (createdb {builder.Database}) or name another", e);
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            connection.Dispose();
            throw new JournalException($"{display}: cannot reach PostgreSQL at {builder.Host}:{builder.Port}: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override void WriteWindow(WindowWrite write)
    {
        if (write.IsEmpty) return;
        var connection = (NpgsqlConnection)Connection;
        using var transaction = connection.BeginTransaction();
        try
        {
            if (write.Events.Count > 0) CopyEvents(connection, transaction, write.Events);
            foreach (var snapshot in write.Snapshots)
            {
                Execute(
                    "INSERT INTO snapshots (persistence_id, sequence_nr, created, manifest, payload) VALUES (@p, @s, @c, @m, @b) " +
                    "ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET created = EXCLUDED.created, manifest = EXCLUDED.manifest, payload = EXCLUDED.payload",
                    transaction, ("p", snapshot.PersistenceId), ("s", snapshot.SequenceNr), ("c", snapshot.CreatedTicks),
                    ("m", snapshot.Manifest), ("b", snapshot.Payload));
            }
            WriteDeletesAndProgress(write, transaction);
            transaction.Commit();
        }
        catch (PostgresException e) when (e.SqlState == "23505")
        {
            throw new JournalException($"{DisplayUri}: a row of this window already exists ({e.Detail}): another writer, or a run id used twice", e);
        }
    }

    private static void CopyEvents(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PersistentRow> events)
    {
        var orderings = new long[events.Count];
        using (var next = new NpgsqlCommand("SELECT nextval('journal_ordering_seq') FROM generate_series(1, @n)", connection, transaction))
        {
            next.Parameters.AddWithValue("n", events.Count);
            using var reader = next.ExecuteReader();
            for (var i = 0; reader.Read(); i++) orderings[i] = reader.GetInt64(0);
        }
        // nextval hands out increasing values to one session, so row i gets the i-th smallest.
        Array.Sort(orderings);
        var tagged = false;
        using (var copy = connection.BeginBinaryImport(
            "COPY journal (ordering, persistence_id, sequence_nr, created, tags, manifest, payload, writer, deleted) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < events.Count; i++)
            {
                var row = events[i];
                copy.StartRow();
                copy.Write(orderings[i], NpgsqlDbType.Bigint);
                copy.Write(row.PersistenceId, NpgsqlDbType.Text);
                copy.Write(row.SequenceNr, NpgsqlDbType.Bigint);
                copy.Write(row.CreatedTicks, NpgsqlDbType.Bigint);
                copy.Write(string.Join(',', row.Tags), NpgsqlDbType.Text);
                copy.Write(row.Manifest, NpgsqlDbType.Text);
                copy.Write(row.Payload, NpgsqlDbType.Bytea);
                copy.Write(row.Writer, NpgsqlDbType.Text);
                copy.Write(false, NpgsqlDbType.Boolean);
                tagged |= row.Tags.Count > 0;
            }
            copy.Complete();
        }
        if (!tagged) return;
        using var tagCopy = connection.BeginBinaryImport("COPY tags (ordering, tag, persistence_id, sequence_nr) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < events.Count; i++)
        {
            foreach (var tag in events[i].Tags)
            {
                tagCopy.StartRow();
                tagCopy.Write(orderings[i], NpgsqlDbType.Bigint);
                tagCopy.Write(tag, NpgsqlDbType.Text);
                tagCopy.Write(events[i].PersistenceId, NpgsqlDbType.Text);
                tagCopy.Write(events[i].SequenceNr, NpgsqlDbType.Bigint);
            }
        }
        tagCopy.Complete();
    }
}
