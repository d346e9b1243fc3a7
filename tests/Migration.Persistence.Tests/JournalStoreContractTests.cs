using System.Text;
using Migration.Persistence.Journal;

namespace Migration.Persistence.Tests;

/// <summary>One contract, run against both back ends.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public class JournalStoreContractTests(string backendName) : BackendFixture(backendName)
{
    private static PersistentRow Row(string id, long seq, params string[] tags) =>
        new(id, seq, seq * 10, tags, "test.Event:1", Encoding.UTF8.GetBytes($"{id}#{seq}"), "writer-1");

    private static WindowWrite Window(params PersistentRow[] rows) => new(rows, [], [], null, 0);

    [Test]
    public void Written_Events_ReadBackInSequenceOrder_WithEveryField()
    {
        Store.WriteWindow(Window(Row("a", 1, "t1"), Row("a", 2), Row("a", 3)));
        var rows = Store.ReadEvents("a", 1, long.MaxValue, 100).ToList();
        Assert.That(rows.Select(r => r.SequenceNr), Is.EqualTo(new long[] { 1, 2, 3 }));
        var first = rows[0];
        Assert.That((first.PersistenceId, first.CreatedTicks, first.Manifest, first.Writer, first.Deleted),
            Is.EqualTo(("a", 10L, "test.Event:1", "writer-1", false)));
        Assert.That(first.Tags, Is.EqualTo(new[] { "t1" }));
        Assert.That(Encoding.UTF8.GetString(first.Payload), Is.EqualTo("a#1"));
        Assert.That(rows.Select(r => r.Ordering), Is.Ordered.Ascending);
        Assert.That(Store.ReadHighestSequenceNr("a"), Is.EqualTo(3));
        Assert.That(Store.ReadHighestSequenceNr("nobody"), Is.EqualTo(0));
    }

    [Test]
    public void ReadEvents_HonoursInclusiveBounds_AcrossSmallBatches()
    {
        Store.WriteWindow(Window(Enumerable.Range(1, 25).Select(i => Row("a", i)).ToArray()));
        var rows = Store.ReadEvents("a", 4, 21, batchSize: 3).Select(r => r.SequenceNr).ToList();
        Assert.That(rows, Is.EqualTo(Enumerable.Range(4, 18).Select(i => (long)i)));
    }

    [Test]
    public void ManyPersistenceIds_InOneWindow_AreOneTransaction_InTheGivenOrder()
    {
        var rows = Enumerable.Range(0, 200).Select(i => Row($"id-{i % 40}", 1 + i / 40)).ToArray();
        Store.WriteWindow(Window(rows));
        Assert.That(Store.ReadPersistenceIds("id-"), Has.Count.EqualTo(40));
        var orderings = rows.Select(r => Store.ReadEvents(r.PersistenceId, r.SequenceNr, r.SequenceNr, 1).Single().Ordering).ToList();
        Assert.That(orderings, Is.Ordered.Ascending.And.Unique, "orderings follow the window's row order");
    }

    [Test]
    public void AWindowThatFails_LeavesNothingOfItself()
    {
        Store.WriteWindow(Window(Row("a", 1)));
        var clash = Window(Row("b", 1), Row("b", 2), Row("a", 1));
        var failure = Assert.Throws<JournalException>(() => Store.WriteWindow(clash));
        Assert.That(failure!.Message, Does.Contain("already"));
        Assert.That(Store.ReadHighestSequenceNr("b"), Is.EqualTo(0), "the window's earlier rows were rolled back");
    }

    [Test]
    public void Snapshots_LoadTheNewestAtOrBeforeTheBound()
    {
        var write = new WindowWrite([], [
            new SnapshotRow("a", 5, 50, "test.Snap:1", [5]),
            new SnapshotRow("a", 9, 90, "test.Snap:1", [9]),
            new SnapshotRow("b", 3, 30, "test.Snap:1", [3]),
        ], [], null, 0);
        Store.WriteWindow(write);
        Assert.That(Store.LoadSnapshot("a", 100)!.SequenceNr, Is.EqualTo(9));
        Assert.That(Store.LoadSnapshot("a", 8)!.Payload, Is.EqualTo(new byte[] { 5 }));
        Assert.That(Store.LoadSnapshot("a", 4), Is.Null);
        Assert.That(Store.LoadSnapshot("c", 100), Is.Null);
    }

    [Test]
    public void Deletes_FlagRowsUpToTheBound_AndKeepTheHighestSequenceNumber()
    {
        Store.WriteWindow(Window(Row("a", 1), Row("a", 2), Row("a", 3)));
        Store.WriteWindow(new WindowWrite([], [], [new DeleteRequest("a", 3)], null, 0));
        Assert.That(Store.ReadEvents("a", 1, 3, 10).Select(r => r.Deleted), Is.EqualTo(new[] { true, true, true }));
        Assert.That(Store.ReadHighestSequenceNr("a"), Is.EqualTo(3));
    }

    [Test]
    public void Tags_ReadAcrossPersistenceIds_InOrderingOrder_FromAnOffset()
    {
        Store.WriteWindow(Window(Row("a", 1, "x"), Row("b", 1, "x", "y"), Row("a", 2), Row("c", 1, "x")));
        var tagged = Store.ReadTagged("x", 0, batchSize: 2).ToList();
        Assert.That(tagged.Select(r => r.PersistenceId), Is.EqualTo(new[] { "a", "b", "c" }));
        var afterFirst = Store.ReadTagged("x", tagged[0].Ordering, 10).Select(r => r.PersistenceId);
        Assert.That(afterFirst, Is.EqualTo(new[] { "b", "c" }));
        Assert.That(Store.ReadTagged("y", 0, 10).Single().PersistenceId, Is.EqualTo("b"));
    }

    [Test]
    public void Runs_AreListedNewestFirst_AndFinishWithTheirHash()
    {
        var older = new RunRecord("r1", "first", 7, "{}", "1.0", null, DateTimeOffset.Parse("2026-01-01T00:00:00Z"), null, RunStatus.Running, 0);
        Store.CreateRun(older);
        Store.CreateRun(older with { RunId = "r2", Description = "second", Seed = ulong.MaxValue, Started = DateTimeOffset.Parse("2026-01-02T00:00:00Z") });
        Store.FinishRun("r1", RunStatus.Completed, "abc123", DateTimeOffset.Parse("2026-01-03T00:00:00Z"));
        Store.WriteWindow(new WindowWrite([], [], [], "r2", 12345));
        var runs = Store.ReadRuns();
        Assert.That(runs.Select(r => r.RunId), Is.EqualTo(new[] { "r2", "r1" }));
        Assert.That(runs[0].Seed, Is.EqualTo(ulong.MaxValue));
        Assert.That(runs[0].CommittedTicks, Is.EqualTo(12345));
        var finished = Store.ReadRun("r1")!;
        Assert.That((finished.Status, finished.ResultHash), Is.EqualTo((RunStatus.Completed, "abc123")));
        Assert.Throws<JournalException>(() => Store.FinishRun("missing", RunStatus.Failed, null, DateTimeOffset.UnixEpoch));
    }

    [Test]
    public void Reopening_KeepsEverything()
    {
        Store.WriteWindow(Window(Row("a", 1), Row("a", 2)));
        Store.Dispose();
        Store = Backend.Open();
        Assert.That(Store.ReadHighestSequenceNr("a"), Is.EqualTo(2));
    }

    [TestCase("99", "newer")]
    [TestCase("0", "older")]
    public void ASchemaOfAnotherVersion_IsReported_NotUsed(string version, string word)
    {
        Store.Dispose();
        Backend.ExecuteRaw($"UPDATE journal_metadata SET value = '{version}' WHERE key = 'schema_version'");
        var failure = Assert.Throws<JournalSchemaException>(() => Store = Backend.Open());
        Assert.That(failure!.Message, Does.Contain($"schema version {version}").And.Contain(word));
        Backend.ExecuteRaw($"UPDATE journal_metadata SET value = '{SqlJournalStore.SchemaVersion}' WHERE key = 'schema_version'");
        Store = Backend.Open();
    }
}
