using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Migration.Cluster.Wire;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Tests;
using Migration.Scenarios;
using Migration.Simulation.Distributed;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Cluster.Tests;

/// <summary>
/// The simulation's journal is Akka.Persistence.Sql's schema: Akka.Persistence.Sql's own read
/// journal (<see cref="SqlReadJournal"/>), with the project's serializer registered, reads a run
/// written by one process and a run written by partitions (the cluster nodes' writer), by
/// persistence id and by the tag <c>dom-NAME</c>, event for event what the project's store reads.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
[NonParallelizable]
public sealed class SqlReadJournalTests(string backend)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(60);

    private DirectoryInfo? directory;
    private string? schema;
    private string uri = "";
    private ActorSystem system = null!;
    private SqlReadJournal reads = null!;
    private IMaterializer materializer = null!;

    [OneTimeSetUp]
    public void WriteTwoRuns_AndStartAReader()
    {
        string provider, connectionString;
        if (backend == "sqlite")
        {
            directory = Directory.CreateTempSubdirectory("migration-readjournal-");
            var path = Path.Combine(directory.FullName, "journal.db");
            uri = "sqlite:" + path;
            (provider, connectionString) = ("SQLite.MS", $"Data Source={path}");
        }
        else
        {
            connectionString = PostgresTestDatabase.CreateSchema(out var created);
            schema = created;
            uri = "postgres:" + connectionString;
            provider = "PostgreSQL.15";
        }

        var scenario = new ScenarioText(ScenarioCatalog.LoadBuiltIn("thread-arguments"), ScenarioCatalog.BuiltInText("thread-arguments"));
        var options = new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 5 };
        using (var store = JournalUri.Open(uri))
        {
            Simulator.Run(scenario, options, store, "single");
            store.CreateRun(Simulator.RunRecordOf(scenario, options, "split"));
            var hosts = Enumerable.Range(0, scenario.Scenario.Hosts.Count).Select(h => (IReadOnlyCollection<int>)new[] { h }).ToArray();
            var split = PartitionedRun.Execute(scenario.Scenario, options, hosts, out _, (store, "split", PersistenceMode.Record));
            store.FinishRun("split", RunStatus.Completed, split.ResultHash, DateTimeOffset.UnixEpoch);
        }

        system = AkkaReader(provider, connectionString);
        reads = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        materializer = system.Materializer();
    }

    /// <summary>An Akka.NET system whose Akka.Persistence.Sql read journal reads the journal at <paramref name="connectionString"/>.</summary>
    internal static ActorSystem AkkaReader(string provider, string connectionString)
    {
        var quoted = "\"" + connectionString.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            # The read journal asks its write journal whether it is ready: the same database, whose
            # tables the project's store made (Akka is not to make them).
            akka.persistence.journal {
              plugin = "akka.persistence.journal.sql"
              sql { connection-string = {{quoted}}, provider-name = "{{provider}}", auto-initialize = false }
            }
            akka.persistence.query.journal.sql {
              write-plugin = "akka.persistence.journal.sql"
              connection-string = {{quoted}}
              provider-name = "{{provider}}"
              refresh-interval = 50ms
              journal-sequence-retrieval.query-delay = 50ms
            }
            {{JournalEventSerializer.Registration}}
            """).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
        return ActorSystem.Create("read-journal", config);
    }

    /// <summary>What <paramref name="source"/> gives, within a bounded time.</summary>
    internal static IReadOnlyList<EventEnvelope> ReadAll(Source<EventEnvelope, Akka.NotUsed> source, IMaterializer materializer)
    {
        var task = source.RunWith(Sink.Seq<EventEnvelope>(), materializer);
        Assert.That(task.Wait(QueryTimeout), Is.True, $"the read journal answered within {QueryTimeout.TotalSeconds:0} s");
        return task.Result;
    }

    [OneTimeTearDown]
    public void Clean()
    {
        system?.Terminate().Wait(TimeSpan.FromSeconds(10));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory?.Delete(recursive: true);
        if (schema is not null) PostgresTestDatabase.DropSchema(schema);
    }

    private IReadOnlyList<EventEnvelope> Read(Source<EventEnvelope, Akka.NotUsed> source) => ReadAll(source, materializer);

    internal static List<(string PersistenceId, long SequenceNr, object Event)> Stored(IEnumerable<StoredEvent> rows)
    {
        var serializer = SimulationSerializer.Create();
        return rows.Where(r => !r.Deleted)
            .Select(r => (r.PersistenceId, r.SequenceNr, serializer.Deserialize(r.PersistenceId, r.SequenceNr, r.Manifest, r.Payload))).ToList();
    }

    [TestCase("single")]
    [TestCase("split")]
    public void EventsByPersistenceId_AreTheEventsTheStoreHolds(string run)
    {
        using var store = JournalUri.Open(uri);
        var ids = store.ReadPersistenceIds(run + "/");
        Assert.That(ids, Has.Count.GreaterThan(3), $"{run}: the run wrote its actors' events");
        var domainsAndMigrations = ids.Where(i => i.Contains("/dom-", StringComparison.Ordinal) || i.Contains("/migration-", StringComparison.Ordinal)).ToList();
        Assert.That(domainsAndMigrations, Is.Not.Empty, run);
        foreach (var id in domainsAndMigrations)
        {
            var expected = Stored(store.ReadEvents(id, 1, long.MaxValue, 1_000));
            var read = Read(reads.CurrentEventsByPersistenceId(id, 0, long.MaxValue));
            Assert.That(read, Is.Not.Empty, $"{run}, {id}");
            Assert.That(read.Select(e => (e.PersistenceId, e.SequenceNr, e.Event)), Is.EqualTo(expected), $"seed 5, {run}, {id}");
        }
    }

    [Test]
    public void EventsByDomainTag_AreTheDomainsTimeline_InBothRuns()
    {
        using var store = JournalUri.Open(uri);
        var domains = ScenarioCatalog.LoadBuiltIn("thread-arguments").Domains.Select(d => d.Name).ToList();
        Assert.That(domains, Is.Not.Empty);
        foreach (var domain in domains)
        {
            var tag = "dom-" + domain;
            var expected = Stored(store.ReadTagged(tag, 0, 1_000));
            Assert.That(expected.Select(e => e.PersistenceId[..e.PersistenceId.IndexOf('/', StringComparison.Ordinal)]).Distinct(),
                Is.EquivalentTo(new[] { "single", "split" }), $"{tag}: both runs wrote the domain's events");
            var read = Read(reads.CurrentEventsByTag(tag, Offset.NoOffset()));
            Assert.That(read.Select(e => (e.PersistenceId, e.SequenceNr, e.Event)), Is.EqualTo(expected), $"seed 5, {tag}");
            Assert.That(read.Select(e => ((Sequence)e.Offset).Value), Is.Ordered.Ascending, tag);
        }
    }
}
