using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Migration.Actors;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Postgres;
using Migration.Persistence.Serialization;
using Migration.Persistence.Sqlite;
using Migration.Workload;
using Npgsql;
using NpgsqlTypes;

namespace Migration.Benchmarks.Journal;

/// <summary>
/// `migration bench journal`: events persisted per second through persistent actors and the
/// journal, beside a raw bulk insert of the same rows into the same schema in transactions of the
/// same size (SQLite: a prepared INSERT; PostgreSQL: binary COPY); and recovery (every actor
/// rebuilt from the journal) beside a raw sequential read of the same rows. Each repetition uses
/// fresh databases; engine and baseline repetitions alternate and each one's best is kept.
/// </summary>
public static class JournalBenchmarks
{
    private const string RunId = "bench";
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(10);

    /// <summary>A 180-character destination makes each serialized event about 200 bytes.</summary>
    private static readonly string Padding = new('x', 180);

    /// <param name="Actors">Persistent actors writing.</param>
    /// <param name="EventsPerActorPerWindow">Events each persists per window: Actors x this is the rows per transaction.</param>
    public sealed record Sizes(int Actors, int EventsPerActorPerWindow, int Windows, int Repetitions)
    {
        public static Sizes Full { get; } = new(100, 100, 20, 3);

        public static Sizes Quick { get; } = new(10, 20, 3, 1);

        public long Events => (long)Actors * EventsPerActorPerWindow * Windows;

        public int RowsPerTransaction => Actors * EventsPerActorPerWindow;
    }

    public sealed record Write(int Events);

    /// <summary>A fresh, empty journal on one back end, with raw access to the same database for the baselines.</summary>
    private interface IBackend
    {
        string Name { get; }

        (IJournalStore Store, DbConnection Raw) OpenFresh();

        void RawInsert(DbConnection raw, IReadOnlyList<PersistentRow> rows, int rowsPerTransaction);
    }

    public static IEnumerable<BenchmarkResult> Run(Sizes sizes, string? postgresConnectionString, Action<string> progress)
    {
        // A PostgreSQL that cannot be used is reported before anything is measured.
        if (postgresConnectionString is not null) PostgresJournalStore.CheckConnection(postgresConnectionString);
        return RunChecked(sizes, postgresConnectionString, progress);
    }

    private static IEnumerable<BenchmarkResult> RunChecked(Sizes sizes, string? postgresConnectionString, Action<string> progress)
    {
        var directory = Directory.CreateTempSubdirectory("migration-bench-journal-").FullName;
        try
        {
            foreach (var result in RunOn(new SqliteBackend(directory), sizes, progress)) yield return result;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        if (postgresConnectionString is null) yield break;
        var postgres = new PostgresBackend(postgresConnectionString);
        try
        {
            foreach (var result in RunOn(postgres, sizes, progress)) yield return result;
        }
        finally
        {
            postgres.DropSchemas();
        }
    }

    private static IEnumerable<BenchmarkResult> RunOn(IBackend backend, Sizes sizes, Action<string> progress)
    {
        double persist = 0, rawInsert = 0, replay = 0, rawRead = 0;
        for (var repetition = 1; repetition <= sizes.Repetitions; repetition++)
        {
            progress($"{backend.Name}: repetition {repetition} of {sizes.Repetitions}");
            var (store, raw) = backend.OpenFresh();
            using (store)
            using (raw)
            {
                persist = Math.Max(persist, sizes.Events / EnginePersist(store, sizes));
                replay = Math.Max(replay, sizes.Events / EngineReplay(store, sizes));
                var rows = store.ReadPersistenceIds(RunId + "/").SelectMany(id => store.ReadEvents(id, 1, long.MaxValue, 10_000))
                    .OrderBy(row => row.Ordering)
                    .Select(row => new PersistentRow(row.PersistenceId, row.SequenceNr, row.CreatedTicks, row.Tags, row.Manifest, row.Payload, row.Writer))
                    .ToList();
                if (rows.Count != sizes.Events) throw new InvalidOperationException($"{backend.Name}: the journal holds {rows.Count} events, expected {sizes.Events}");
                var (baselineStore, baselineRaw) = backend.OpenFresh();
                using (baselineStore)
                using (baselineRaw)
                {
                    rawInsert = Math.Max(rawInsert, sizes.Events / Time(() => backend.RawInsert(baselineRaw, rows, sizes.RowsPerTransaction)));
                    rawRead = Math.Max(rawRead, sizes.Events / Time(() => RawRead(baselineRaw, sizes.Events)));
                }
            }
        }
        yield return new BenchmarkResult($"{backend.Name}-persist",
            $"{sizes.Actors} persistent actors, {sizes.RowsPerTransaction:N0} events of ~200 bytes per window (one transaction)", sizes.Events, persist, rawInsert);
        yield return new BenchmarkResult($"{backend.Name}-replay",
            "every actor recovered from the journal (read, parse, apply) against a raw sequential read", sizes.Events, replay, rawRead);
    }

    private static EventSerializer Serializer() => new EventSerializer().Register<Transferred>();

    /// <summary>Seconds to persist every event: the actors write a window's events at its start; each window is committed at its end.</summary>
    private static double EnginePersist(IJournalStore store, Sizes sizes)
    {
        var system = ActorSystem.Create("bench-journal");
        var run = new RunRecord(RunId, "bench journal", 0, "{}", PersistenceExtension.EngineVersion, null, DateTimeOffset.UtcNow, null, RunStatus.Running, 0);
        var journal = PersistenceExtension.Attach(system, store, Serializer(), new PersistenceSettings { RunId = RunId, CommitInterval = Window }, run);
        var unused = new long[1];
        var actors = Enumerable.Range(0, sizes.Actors)
            .Select(i => system.ActorOf(Props.Create(() => new JournalBenchActor($"actor-{i}", Padding, unused)), $"actor-{i}"))
            .ToArray();
        system.RunUntilIdle();
        var seconds = Time(() =>
        {
            for (var window = 0; window < sizes.Windows; window++)
            {
                system.RunUntil(window * Window);
                foreach (var actor in actors) actor.Tell(new Write(sizes.EventsPerActorPerWindow));
            }
            system.RunUntil(sizes.Windows * Window);
        });
        if (journal.EventsWritten != sizes.Events) throw new InvalidOperationException($"persisted {journal.EventsWritten} events, expected {sizes.Events}");
        journal.Complete(RunStatus.Completed, system.ResultHash, DateTimeOffset.UtcNow);
        return seconds;
    }

    /// <summary>Seconds to rebuild every actor from the journal.</summary>
    private static double EngineReplay(IJournalStore store, Sizes sizes)
    {
        var system = JournalReplay.OpenForInspection(store, RunId, Serializer());
        var recovered = new long[1];
        for (var i = 0; i < sizes.Actors; i++)
        {
            var name = $"actor-{i}";
            system.ActorOf(Props.Create(() => new JournalBenchActor(name, Padding, recovered)), name);
        }
        var seconds = Time(() => system.RunUntilIdle());
        if (recovered[0] != sizes.Events) throw new InvalidOperationException($"recovered {recovered[0]} events, expected {sizes.Events}");
        return seconds;
    }

    private static void RawRead(DbConnection raw, long expected)
    {
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT ordering, persistence_id, sequence_number, created, manifest, message, writer_uuid, deleted FROM journal ORDER BY ordering";
        using var reader = command.ExecuteReader();
        long rows = 0, bytes = 0;
        while (reader.Read())
        {
            rows++;
            bytes += reader.GetInt64(0) + reader.GetString(1).Length + reader.GetInt64(2) + reader.GetInt64(3) +
                     reader.GetString(4).Length + ((byte[])reader.GetValue(5)).Length + reader.GetString(6).Length + (reader.GetBoolean(7) ? 1 : 0);
        }
        if (rows != expected) throw new InvalidOperationException($"the raw read found {rows} rows, expected {expected}");
        GC.KeepAlive(bytes);
    }

    private static double Time(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var wall = Stopwatch.StartNew();
        action();
        return wall.Elapsed.TotalSeconds;
    }

    private sealed class SqliteBackend(string directory) : IBackend
    {
        private int opened;

        public string Name => "sqlite";

        public (IJournalStore Store, DbConnection Raw) OpenFresh()
        {
            var path = Path.Combine(directory, $"journal-{++opened}.db");
            var store = SqliteJournalStore.Open(path);
            var raw = new SqliteConnection($"Data Source={path};Pooling=False");
            raw.Open();
            using var pragma = raw.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
            return (store, raw);
        }

        public void RawInsert(DbConnection raw, IReadOnlyList<PersistentRow> rows, int rowsPerTransaction)
        {
            var connection = (SqliteConnection)raw;
            for (var start = 0; start < rows.Count; start += rowsPerTransaction)
            {
                using var transaction = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) VALUES ($c, 0, $p, $s, $b, $m, " + EventSerializer.AkkaSerializerId + ", $w)";
                var p = insert.Parameters.Add("$p", SqliteType.Text);
                var s = insert.Parameters.Add("$s", SqliteType.Integer);
                var c = insert.Parameters.Add("$c", SqliteType.Integer);
                var m = insert.Parameters.Add("$m", SqliteType.Text);
                var b = insert.Parameters.Add("$b", SqliteType.Blob);
                var w = insert.Parameters.Add("$w", SqliteType.Text);
                insert.Prepare();
                foreach (var row in rows.Skip(start).Take(rowsPerTransaction))
                {
                    p.Value = row.PersistenceId;
                    s.Value = row.SequenceNr;
                    c.Value = row.CreatedTicks;
                    m.Value = row.Manifest;
                    b.Value = row.Payload;
                    w.Value = row.Writer;
                    insert.ExecuteNonQuery();
                }
                transaction.Commit();
            }
        }
    }

    private sealed class PostgresBackend(string connectionString) : IBackend
    {
        private readonly List<string> schemas = new();

        public string Name => "postgres";

        public (IJournalStore Store, DbConnection Raw) OpenFresh()
        {
            // A schema of its own per journal: the benchmark never touches existing tables.
            var schema = $"bench_journal_{Environment.ProcessId}_{schemas.Count + 1}";
            using (var admin = new NpgsqlConnection(connectionString))
            {
                admin.Open();
                using var create = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}", admin);
                create.ExecuteNonQuery();
            }
            schemas.Add(schema);
            var scoped = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
            var store = PostgresJournalStore.Open(scoped);
            var raw = new NpgsqlConnection(scoped);
            raw.Open();
            return (store, raw);
        }

        public void RawInsert(DbConnection raw, IReadOnlyList<PersistentRow> rows, int rowsPerTransaction)
        {
            var connection = (NpgsqlConnection)raw;
            for (var start = 0; start < rows.Count; start += rowsPerTransaction)
            {
                using var transaction = connection.BeginTransaction();
                using (var copy = connection.BeginBinaryImport(
                    "COPY journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var row in rows.Skip(start).Take(rowsPerTransaction))
                    {
                        copy.StartRow();
                        copy.Write(row.CreatedTicks, NpgsqlDbType.Bigint);
                        copy.Write(false, NpgsqlDbType.Boolean);
                        copy.Write(row.PersistenceId, NpgsqlDbType.Varchar);
                        copy.Write(row.SequenceNr, NpgsqlDbType.Bigint);
                        copy.Write(row.Payload, NpgsqlDbType.Bytea);
                        copy.Write(row.Manifest, NpgsqlDbType.Varchar);
                        copy.Write(EventSerializer.AkkaSerializerId, NpgsqlDbType.Integer);
                        copy.Write(row.Writer, NpgsqlDbType.Varchar);
                    }
                    copy.Complete();
                }
                transaction.Commit();
            }
        }

        public void DropSchemas()
        {
            using var admin = new NpgsqlConnection(connectionString);
            admin.Open();
            foreach (var schema in schemas)
            {
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", admin);
                drop.ExecuteNonQuery();
            }
        }
    }
}
