using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Tests;
using Migration.Scenarios;
using Migration.Simulation.Running;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// For every built-in scenario, a journaled run re-executed from its journal reproduces the live
/// run's hash and every stored event, on SQLite and on PostgreSQL.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class ReplayVerifyTests(string backend)
{
    private DirectoryInfo? directory;
    private string? schema;

    private IJournalStore OpenStore(string name)
    {
        if (backend == "sqlite")
        {
            directory ??= Directory.CreateTempSubdirectory("migration-replay-");
            return JournalUri.Open("sqlite:" + Path.Combine(directory.FullName, name + ".db"));
        }
        var connectionString = PostgresTestDatabase.CreateSchema(out var created);
        schema = created;
        return JournalUri.Open("postgres:" + connectionString);
    }

    [TearDown]
    public void Clean()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory?.Delete(recursive: true);
        directory = null;
        if (schema is not null) PostgresTestDatabase.DropSchema(schema);
        schema = null;
    }

    public static IEnumerable<TestCaseData> BuiltInsUnderTwoPolicies =>
        from name in ScenarioCatalog.BuiltInNames
        from policy in new[] { VetoPolicy.ToolstackDecides, VetoPolicy.HasDevices }
        select new TestCaseData(name, policy);

    /// <summary>Under toolstack-decides every migration runs (DMA, faults, corruption); under has-devices the vetoes and needless vetoes.</summary>
    [TestCaseSource(nameof(BuiltInsUnderTwoPolicies))]
    public void VerifyFromJournal_ReproducesTheLiveRun(string name, VetoPolicy policy)
    {
        var scenario = BuiltIn(name);
        var options = new RunOptions { Policy = policy, Seed = 11 };
        using var store = OpenStore(name);
        var live = Simulator.Run(scenario, options, store, "live-1");
        Assert.That(store.ReadRun("live-1")!.ResultHash, Is.EqualTo(live.ResultHash));
        Assert.That(Simulator.Run(scenario, options).ResultHash, Is.EqualTo(live.ResultHash), "the same hash without a journal");
        var verified = Simulator.Verify(store, "live-1");
        Assert.That(verified.Divergences, Is.Empty, $"seed 11, {name}: {string.Join("; ", verified.Divergences.Take(3).Select(d => d.Message))}");
        Assert.That(verified.RecomputedHash, Is.EqualTo(live.ResultHash), $"seed 11, {name}");
        Assert.That(verified.EventsVerified, Is.GreaterThan(0));
        Assert.That(verified.Matches, Is.True);
    }

    [Test]
    public void Verify_Fails_AndNamesTheEvent_WhenTheJournalDoesNotMatch()
    {
        var scenario = BuiltIn("xl-vs-xapi");
        using var store = OpenStore("tampered");
        Simulator.Run(scenario, new RunOptions { Policy = VetoPolicy.ToolstackDecides, Seed = 2 }, store, "run-1");
        // A stored run claiming another seed and holding none of its events: re-executing it must not verify.
        var stored = store.ReadRun("run-1")!;
        store.CreateRun(stored with { RunId = "run-2", Seed = 3 });
        var verified = Simulator.Verify(store, "run-2");
        Assert.That(verified.Matches, Is.False);
        Assert.That(verified.RecomputedHash, Is.Not.EqualTo(verified.StoredHash));
        Assert.That(verified.Divergences, Is.Not.Empty);
        Assert.That(verified.Divergences[0].Message, Does.Contain("run-2/"));
    }
}
