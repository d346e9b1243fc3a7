using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;
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

    // journal, tags and snapshot are Akka.Persistence.Sql's tables (its "default" table mapping), so
    // its read journal reads what this store writes.
    protected override IEnumerable<string> CreateSchemaStatements =>
    [
        "CREATE TABLE journal_metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE journal (ordering BIGSERIAL NOT NULL PRIMARY KEY, created BIGINT NOT NULL, deleted BOOLEAN NOT NULL, " +
        "persistence_id VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL, message BYTEA NOT NULL, " +
        "manifest VARCHAR(500) NULL, identifier INTEGER NULL, writer_uuid VARCHAR(128) NULL)",
        "CREATE UNIQUE INDEX journal_uq ON journal (persistence_id, sequence_number)",
        "CREATE INDEX journal_created_idx ON journal (created)",
        "CREATE INDEX journal_sequence_number_idx ON journal (sequence_number)",
        "CREATE TABLE tags (ordering_id BIGINT NOT NULL, tag VARCHAR(64) NOT NULL, sequence_nr BIGINT NOT NULL, " +
        "persistence_id VARCHAR(255) NOT NULL, CONSTRAINT pk_tags PRIMARY KEY (ordering_id, tag))",
        "CREATE INDEX tags_persistence_id_sequence_nr_idx ON tags (persistence_id, sequence_nr)",
        "CREATE INDEX tags_tag_idx ON tags (tag)",
        "CREATE TABLE snapshot (persistence_id VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL, created BIGINT NOT NULL, " +
        "snapshot BYTEA NULL, manifest VARCHAR(500) NULL, serializer_id INTEGER NULL, " +
        "CONSTRAINT pk_snapshot PRIMARY KEY (persistence_id, sequence_number))",
        "CREATE INDEX snapshot_sequence_number_idx ON snapshot (sequence_number)",
        "CREATE INDEX snapshot_created_idx ON snapshot (created)",
        "CREATE TABLE runs (run_id TEXT PRIMARY KEY, description TEXT NOT NULL, seed TEXT NOT NULL, settings TEXT NOT NULL, " +
        "engine_version TEXT NOT NULL, result_hash TEXT, started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL, " +
        "committed_ticks BIGINT NOT NULL DEFAULT 0)",
    ];

    // Tags of one event come back in the order the window wrote them (one COPY: ctid order).
    protected override string TagsOfRowSql =>
        "(SELECT string_agg(t.tag, ',' ORDER BY t.ctid) FROM tags t WHERE t.ordering_id = j.ordering)";

    protected override string MetadataTableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'journal_metadata'";

    protected override string JournalTableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('journal', 'snapshot', 'tags', 'runs')";

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
                    "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) VALUES (@p, @s, @c, @b, @m, @i) " +
                    "ON CONFLICT (persistence_id, sequence_number) DO UPDATE SET created = EXCLUDED.created, snapshot = EXCLUDED.snapshot, " +
                    "manifest = EXCLUDED.manifest, serializer_id = EXCLUDED.serializer_id",
                    transaction, ("p", snapshot.PersistenceId), ("s", snapshot.SequenceNr), ("c", snapshot.CreatedTicks),
                    ("b", snapshot.Payload), ("m", snapshot.Manifest), ("i", EventSerializer.AkkaSerializerId));
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
            "COPY journal (ordering, created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < events.Count; i++)
            {
                var row = events[i];
                copy.StartRow();
                copy.Write(orderings[i], NpgsqlDbType.Bigint);
                copy.Write(row.CreatedTicks, NpgsqlDbType.Bigint);
                copy.Write(false, NpgsqlDbType.Boolean);
                copy.Write(row.PersistenceId, NpgsqlDbType.Varchar);
                copy.Write(row.SequenceNr, NpgsqlDbType.Bigint);
                copy.Write(row.Payload, NpgsqlDbType.Bytea);
                copy.Write(row.Manifest, NpgsqlDbType.Varchar);
                copy.Write(EventSerializer.AkkaSerializerId, NpgsqlDbType.Integer);
                copy.Write(row.Writer, NpgsqlDbType.Varchar);
                tagged |= row.Tags.Count > 0;
            }
            copy.Complete();
        }
        if (!tagged) return;
        using var tagCopy = connection.BeginBinaryImport("COPY tags (ordering_id, tag, sequence_nr, persistence_id) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < events.Count; i++)
        {
            foreach (var tag in events[i].Tags)
            {
                tagCopy.StartRow();
                tagCopy.Write(orderings[i], NpgsqlDbType.Bigint);
                tagCopy.Write(tag, NpgsqlDbType.Varchar);
                tagCopy.Write(events[i].SequenceNr, NpgsqlDbType.Bigint);
                tagCopy.Write(events[i].PersistenceId, NpgsqlDbType.Varchar);
            }
        }
        tagCopy.Complete();
    }
}
