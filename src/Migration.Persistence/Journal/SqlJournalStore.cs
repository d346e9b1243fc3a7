using System.Data.Common;
using System.Globalization;

namespace Migration.Persistence.Journal;

/// <summary>
/// What the SQL back ends share: the schema's version check, keyset-paginated reads, runs. Each
/// back end supplies its connection, its DDL and its write path.
/// </summary>
public abstract class SqlJournalStore : IJournalStore
{
    /// <summary>
    /// The schema this build reads and writes. Bump it (with a migration) whenever a table changes.
    /// Version 2: journal, tags and snapshot are Akka.Persistence.Sql's tables, column for column.
    /// </summary>
    public const int SchemaVersion = 2;

    /// <summary>Rows per read batch when a caller asks for more, so no read holds more than this in memory.</summary>
    public const int ReadBatchMax = 10_000;

    private readonly DbConnection connection;

    protected SqlJournalStore(DbConnection connection, string displayUri)
    {
        this.connection = connection;
        DisplayUri = displayUri;
    }

    public string DisplayUri { get; }

    protected DbConnection Connection => connection;

    /// <summary>The statements that create every table of <see cref="SchemaVersion"/>.</summary>
    protected abstract IEnumerable<string> CreateSchemaStatements { get; }

    /// <summary>An event's tags (from the tags table) as one comma-separated text, for journal row <c>j</c>, in the back end's SQL.</summary>
    protected abstract string TagsOfRowSql { get; }

    private string EventColumns =>
        $"j.ordering, j.persistence_id, j.sequence_number, j.created, {TagsOfRowSql}, j.manifest, j.message, j.writer_uuid, j.deleted";

    /// <summary>SQL that is true (1) when a table named like the metadata table exists.</summary>
    protected abstract string MetadataTableExistsSql { get; }

    /// <summary>SQL that counts the tables of this schema that exist (to tell a foreign database from an empty one).</summary>
    protected abstract string JournalTableExistsSql { get; }

    public abstract void WriteWindow(WindowWrite write);

    /// <summary>Creates the schema in an empty database, or checks the version of an existing one.</summary>
    protected void EnsureSchema()
    {
        if (Scalar<long>(MetadataTableExistsSql) == 0)
        {
            if (Scalar<long>(JournalTableExistsSql) > 0)
                throw new JournalSchemaException(
                    $"{DisplayUri} has a 'journal' table but no schema version (journal_metadata): it was not made by this " +
                    "program, or by a build before schema versions; use a new journal");
            using var transaction = connection.BeginTransaction();
            foreach (var statement in CreateSchemaStatements) Execute(statement, transaction);
            Execute("INSERT INTO journal_metadata (key, value) VALUES ('schema_version', @v)", transaction,
                ("v", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
            transaction.Commit();
            return;
        }
        var stored = Scalar<string?>("SELECT value FROM journal_metadata WHERE key = 'schema_version'");
        if (!int.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new JournalSchemaException($"{DisplayUri} has an unreadable schema version '{stored}'; this build reads version {SchemaVersion}");
        if (version < SchemaVersion)
            throw new JournalSchemaException(
                $"{DisplayUri} has schema version {version}, older than the version {SchemaVersion} this build reads; " +
                "open it with the build that wrote it, or start a new journal");
        if (version > SchemaVersion)
            throw new JournalSchemaException(
                $"{DisplayUri} has schema version {version}, newer than the version {SchemaVersion} this build reads; " +
                "use a newer build of migration");
    }

    public IEnumerable<StoredEvent> ReadEvents(string persistenceId, long fromSequenceNr, long toSequenceNr, int batchSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        batchSize = Math.Clamp(batchSize, 1, ReadBatchMax);
        var next = fromSequenceNr;
        while (next <= toSequenceNr)
        {
            var batch = ReadRows(
                $"SELECT {EventColumns} FROM journal j " +
                "WHERE j.persistence_id = @p AND j.sequence_number >= @from AND j.sequence_number <= @to ORDER BY j.sequence_number LIMIT @n",
                ("p", persistenceId), ("from", next), ("to", toSequenceNr), ("n", batchSize));
            foreach (var row in batch) yield return row;
            // A short batch, or one that reached the upper bound, is the last: no empty query after it.
            if (batch.Count < batchSize || batch[^1].SequenceNr >= toSequenceNr) yield break;
            next = batch[^1].SequenceNr + 1;
        }
    }

    public long ReadHighestSequenceNr(string persistenceId) =>
        Scalar<long?>("SELECT MAX(sequence_number) FROM journal WHERE persistence_id = @p", ("p", persistenceId)) ?? 0;

    public IEnumerable<StoredEvent> ReadTagged(string tag, long afterOrdering, int batchSize)
    {
        batchSize = Math.Clamp(batchSize, 1, ReadBatchMax);
        var after = afterOrdering;
        while (true)
        {
            var batch = ReadRows(
                $"SELECT {EventColumns} " +
                "FROM tags t JOIN journal j ON j.ordering = t.ordering_id WHERE t.tag = @tag AND t.ordering_id > @after ORDER BY t.ordering_id LIMIT @n",
                ("tag", tag), ("after", after), ("n", batchSize));
            foreach (var row in batch) yield return row;
            if (batch.Count < batchSize) yield break;
            after = batch[^1].Ordering;
        }
    }

    public SnapshotRow? LoadSnapshot(string persistenceId, long maxSequenceNr)
    {
        using var command = Command(
            "SELECT persistence_id, sequence_number, created, manifest, snapshot FROM snapshot " +
            "WHERE persistence_id = @p AND sequence_number <= @max ORDER BY sequence_number DESC LIMIT 1",
            null, ("p", persistenceId), ("max", maxSequenceNr));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new SnapshotRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), (byte[])reader.GetValue(4));
    }

    public IReadOnlyList<string> ReadPersistenceIds(string prefix)
    {
        // Ids are compared as text from the prefix up to the prefix followed by the largest character.
        using var command = Command(
            "SELECT DISTINCT persistence_id FROM journal WHERE persistence_id >= @low AND persistence_id < @high ORDER BY persistence_id",
            null, ("low", prefix), ("high", prefix + "\uffff"));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    public void CreateRun(RunRecord run)
    {
        Execute(
            "INSERT INTO runs (run_id, description, seed, settings, engine_version, result_hash, started, finished, status, committed_ticks) " +
            "VALUES (@id, @description, @seed, @settings, @engine, @hash, @started, @finished, @status, @committed)",
            null,
            ("id", run.RunId), ("description", run.Description), ("seed", run.Seed.ToString(CultureInfo.InvariantCulture)),
            ("settings", run.SettingsJson), ("engine", run.EngineVersion), ("hash", (object?)run.ResultHash ?? DBNull.Value),
            ("started", run.Started.ToString("O", CultureInfo.InvariantCulture)),
            ("finished", (object?)run.Finished?.ToString("O", CultureInfo.InvariantCulture) ?? DBNull.Value),
            ("status", run.Status.ToString()), ("committed", run.CommittedTicks));
    }

    public void FinishRun(string runId, RunStatus status, string? resultHash, DateTimeOffset finished)
    {
        var changed = Execute(
            "UPDATE runs SET status = @status, result_hash = @hash, finished = @finished WHERE run_id = @id",
            null, ("status", status.ToString()), ("hash", (object?)resultHash ?? DBNull.Value),
            ("finished", finished.ToString("O", CultureInfo.InvariantCulture)), ("id", runId));
        if (changed != 1) throw new JournalException($"{DisplayUri} has no run '{runId}' to finish");
    }

    public RunRecord? ReadRun(string runId) => ReadRunRows("WHERE run_id = @id", ("id", runId)).SingleOrDefault();

    public IReadOnlyList<RunRecord> ReadRuns() => ReadRunRows("ORDER BY started DESC, run_id DESC");

    public void Dispose()
    {
        connection.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Applies a window's deletions and run progress inside the back end's transaction.</summary>
    protected void WriteDeletesAndProgress(WindowWrite write, DbTransaction transaction)
    {
        foreach (var delete in write.Deletes)
        {
            Execute("UPDATE journal SET deleted = @yes WHERE persistence_id = @p AND sequence_number <= @to", transaction,
                ("yes", true), ("p", delete.PersistenceId), ("to", delete.ToSequenceNr));
        }
        if (write.RunId is not null)
        {
            Execute("UPDATE runs SET committed_ticks = @t WHERE run_id = @id", transaction, ("t", write.CommittedTicks), ("id", write.RunId));
        }
    }

    protected int Execute(string sql, DbTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    protected T Scalar<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, null, parameters);
        var value = command.ExecuteScalar();
        if (value is null || value is DBNull) return default!;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    protected DbCommand Command(string sql, DbTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private List<StoredEvent> ReadRows(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, null, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredEvent>();
        while (reader.Read())
        {
            var tags = reader.IsDBNull(4) ? "" : reader.GetString(4);
            rows.Add(new StoredEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                tags.Length == 0 ? [] : tags.Split(','), reader.IsDBNull(5) ? "" : reader.GetString(5), (byte[])reader.GetValue(6),
                reader.IsDBNull(7) ? "" : reader.GetString(7), Convert.ToBoolean(reader.GetValue(8), CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    private List<RunRecord> ReadRunRows(string where, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(
            "SELECT run_id, description, seed, settings, engine_version, result_hash, started, finished, status, committed_ticks FROM runs " + where,
            null, parameters);
        using var reader = command.ExecuteReader();
        var runs = new List<RunRecord>();
        while (reader.Read())
        {
            var runId = reader.GetString(0);
            if (!Enum.TryParse<RunStatus>(reader.GetString(8), out var status))
                throw new JournalException($"{DisplayUri}: run '{runId}' has an unknown status '{reader.GetString(8)}'");
            runs.Add(new RunRecord(
                runId, reader.GetString(1), ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                reader.IsDBNull(7) ? null : DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                status, reader.GetInt64(9)));
        }
        return runs;
    }
}
