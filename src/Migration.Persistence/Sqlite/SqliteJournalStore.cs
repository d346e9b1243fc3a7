using Microsoft.Data.Sqlite;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;

namespace Migration.Persistence.Sqlite;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode. A window is one transaction of prepared
/// inserts; a process killed mid-window leaves the file at the last committed window.
/// </summary>
public sealed class SqliteJournalStore : SqlJournalStore
{
    private SqliteJournalStore(SqliteConnection connection, string displayUri)
        : base(connection, displayUri)
    {
    }

    // journal, tags and snapshot are Akka.Persistence.Sql's tables as its SQLite provider creates
    // them (its "default" table mapping), so its read journal reads what this store writes.
    protected override IEnumerable<string> CreateSchemaStatements =>
    [
        "CREATE TABLE journal_metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE journal (ordering INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, created INTEGER NOT NULL, deleted Bit NOT NULL, " +
        "persistence_id NVarChar(255) NOT NULL, sequence_number INTEGER NOT NULL, message VarBinary NOT NULL, " +
        "manifest NVarChar(500) NULL, identifier INTEGER NULL, writer_uuid NVarChar(128) NULL)",
        "CREATE UNIQUE INDEX journal_uq ON journal (persistence_id, sequence_number)",
        "CREATE INDEX journal_created_idx ON journal (created)",
        "CREATE INDEX journal_sequence_number_idx ON journal (sequence_number)",
        "CREATE TABLE tags (ordering_id INTEGER NOT NULL, tag NVarChar(64) NOT NULL, sequence_nr INTEGER NOT NULL, " +
        "persistence_id NVarChar(255) NOT NULL, CONSTRAINT PK_tags PRIMARY KEY (ordering_id, tag))",
        "CREATE INDEX tags_persistence_id_sequence_nr_idx ON tags (persistence_id, sequence_nr)",
        "CREATE INDEX tags_tag_idx ON tags (tag)",
        "CREATE TABLE snapshot (persistence_id NVarChar(255) NOT NULL, sequence_number INTEGER NOT NULL, created INTEGER NOT NULL, " +
        "snapshot VarBinary NULL, manifest NVarChar(500) NULL, serializer_id INTEGER NULL, " +
        "CONSTRAINT PK_snapshot PRIMARY KEY (persistence_id, sequence_number))",
        "CREATE INDEX snapshot_sequence_number_idx ON snapshot (sequence_number)",
        "CREATE INDEX snapshot_created_idx ON snapshot (created)",
        "CREATE TABLE runs (run_id TEXT PRIMARY KEY, description TEXT NOT NULL, seed TEXT NOT NULL, settings TEXT NOT NULL, " +
        "engine_version TEXT NOT NULL, result_hash TEXT, started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL, " +
        "committed_ticks INTEGER NOT NULL DEFAULT 0)",
    ];

    protected override string TagsOfRowSql =>
        "(SELECT group_concat(tag, ',') FROM (SELECT t.tag FROM tags t WHERE t.ordering_id = j.ordering ORDER BY t.rowid))";

    protected override string MetadataTableExistsSql =>
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal_metadata'";

    protected override string JournalTableExistsSql =>
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('journal', 'snapshot', 'tags', 'runs')";

    /// <summary>Opens (creating if needed) the journal file at <paramref name="path"/>.</summary>
    public static SqliteJournalStore Open(string path)
    {
        var display = "sqlite:" + path;
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
            throw new JournalException($"{display}: the directory {directory} does not exist; create it or choose another path");
        if (Directory.Exists(full))
            throw new JournalException($"{display}: {full} is a directory; give the path of a journal file");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        SqliteJournalStore? store = null;
        try
        {
            connection.Open();
            store = new SqliteJournalStore(connection, display);
            // WAL: readers do not block the writer; NORMAL sync is durable against a killed process
            // (a power cut may lose the last windows, never corrupt the file).
            store.Execute("PRAGMA journal_mode = WAL", null);
            store.Execute("PRAGMA synchronous = NORMAL", null);
            store.Execute("PRAGMA busy_timeout = 5000", null);
            store.EnsureSchema();
            return store;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 26)
        {
            (store as IDisposable ?? connection).Dispose();
            throw new JournalException($"{display}: {full} is not a SQLite database (is it another kind of file?)", e);
        }
        catch (SqliteException e)
        {
            (store as IDisposable ?? connection).Dispose();
            throw new JournalException($"{display}: SQLite refused to open it: {e.Message}", e);
        }
        catch
        {
            (store as IDisposable ?? connection).Dispose();
            throw;
        }
    }

    public override void WriteWindow(WindowWrite write)
    {
        if (write.IsEmpty) return;
        var connection = (SqliteConnection)Connection;
        using var transaction = connection.BeginTransaction();
        if (write.Events.Count > 0) InsertEvents(connection, transaction, write.Events);
        foreach (var snapshot in write.Snapshots)
        {
            Execute(
                "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) VALUES (@p, @s, @c, @b, @m, @i) " +
                "ON CONFLICT (persistence_id, sequence_number) DO UPDATE SET created = excluded.created, snapshot = excluded.snapshot, " +
                "manifest = excluded.manifest, serializer_id = excluded.serializer_id",
                transaction, ("p", snapshot.PersistenceId), ("s", snapshot.SequenceNr), ("c", snapshot.CreatedTicks),
                ("b", snapshot.Payload), ("m", snapshot.Manifest), ("i", EventSerializer.AkkaSerializerId));
        }
        WriteDeletesAndProgress(write, transaction);
        transaction.Commit();
    }

    private static void InsertEvents(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<PersistentRow> events)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) " +
            "VALUES ($c, 0, $p, $s, $b, $m, $i, $w) RETURNING ordering";
        var p = insert.Parameters.Add("$p", SqliteType.Text);
        var s = insert.Parameters.Add("$s", SqliteType.Integer);
        var c = insert.Parameters.Add("$c", SqliteType.Integer);
        insert.Parameters.Add("$i", SqliteType.Integer).Value = EventSerializer.AkkaSerializerId;
        var m = insert.Parameters.Add("$m", SqliteType.Text);
        var b = insert.Parameters.Add("$b", SqliteType.Blob);
        var w = insert.Parameters.Add("$w", SqliteType.Text);
        insert.Prepare();
        SqliteCommand? tagInsert = null;
        try
        {
            foreach (var row in events)
            {
                p.Value = row.PersistenceId;
                s.Value = row.SequenceNr;
                c.Value = row.CreatedTicks;
                m.Value = row.Manifest;
                b.Value = row.Payload;
                w.Value = row.Writer;
                long ordering;
                try
                {
                    ordering = (long)insert.ExecuteScalar()!;
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19)
                {
                    throw new JournalException(
                        $"'{row.PersistenceId}' already has sequence number {row.SequenceNr} in this journal: another writer, or a run id used twice", e);
                }
                if (row.Tags.Count == 0) continue;
                tagInsert ??= PrepareTagInsert(connection, transaction);
                foreach (var tag in row.Tags)
                {
                    tagInsert.Parameters["$o"].Value = ordering;
                    tagInsert.Parameters["$tag"].Value = tag;
                    tagInsert.Parameters["$p"].Value = row.PersistenceId;
                    tagInsert.Parameters["$s"].Value = row.SequenceNr;
                    tagInsert.ExecuteNonQuery();
                }
            }
        }
        finally
        {
            tagInsert?.Dispose();
        }
    }

    private static SqliteCommand PrepareTagInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO tags (ordering_id, tag, sequence_nr, persistence_id) VALUES ($o, $tag, $s, $p)";
        command.Parameters.Add("$o", SqliteType.Integer);
        command.Parameters.Add("$tag", SqliteType.Text);
        command.Parameters.Add("$p", SqliteType.Text);
        command.Parameters.Add("$s", SqliteType.Integer);
        command.Prepare();
        return command;
    }
}
