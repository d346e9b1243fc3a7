using Migration.Actors;
using Migration.Benchmarks.Ledger;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;
using Migration.Workload;

namespace Migration.Persistence.Tests;

public class PersistentActorTests() : BackendFixture("sqlite")
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private static EventSerializer Serializer() => LedgerWorkload.Serializer();

    private (ActorSystem System, PersistenceExtension Journal, Inbox Recorder) Record(string runId = "run-1")
    {
        var system = ActorSystem.Create("tally");
        var run = new RunRecord(runId, "tally", 0, "{}", "test", null, DateTimeOffset.UnixEpoch, null, RunStatus.Running, 0);
        var journal = PersistenceExtension.Attach(system, Store, Serializer(), new PersistenceSettings { RunId = runId, CommitInterval = Interval }, run);
        return (system, journal, Inbox.Create(system, "recorder"));
    }

    private static IActorRef Tally(ActorSystem system, Inbox recorder, string id = "tally-1") =>
        system.ActorOf(Props.Create(() => new TallyActor(id, recorder)), id);

    [Test]
    public void Persist_RunsItsHandlerAfterTheCommand_AndNumbersEventsFromOne()
    {
        var (system, journal, recorder) = Record();
        var tally = Tally(system, recorder);
        tally.Tell(5L);
        tally.Tell(7L);
        system.RunUntil(TimeSpan.FromMilliseconds(25));
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "recovered total 0 at 0", "persisted 1 total 5", "persisted 2 total 12" }));
        Assert.That(journal.EventsWritten, Is.EqualTo(2), "the window [0, 10 ms) was committed at its boundary");
        var rows = Store.ReadEvents("run-1/tally-1", 1, 10, 10).ToList();
        Assert.That(rows.Select(r => r.Manifest), Is.EqualTo(new[] { "migration.workload.Received:2", "migration.workload.Received:2" }));
        Assert.That(rows.All(r => r.Writer == "run-1" && r.CreatedTicks == 0), Is.True, "created is the virtual time of the write");
    }

    [Test]
    public void ARestartedActor_RecoversFromCommittedWindowsAndTheOpenOne()
    {
        var (system, _, recorder) = Record();
        var tally = Tally(system, recorder);
        tally.Tell(5L);
        tally.Tell(7L);
        system.RunUntil(TimeSpan.FromMilliseconds(15));
        tally.Tell(3L);
        tally.Tell("fail");
        tally.Tell("total");
        system.RunUntilIdle();
        Assert.That(recorder.Messages.Skip(4), Is.EqualTo(new object[] { "recovered total 15 at 3", "total 15" }), string.Join(" | ", recorder.Messages));
        Assert.That(Store.ReadHighestSequenceNr("run-1/tally-1"), Is.EqualTo(2), "event 3 is still in the open window");
    }

    [Test]
    public void ASnapshot_IsOfferedOnRecovery_AndDeletedEventsAreNotReplayed()
    {
        var (system, _, recorder) = Record();
        var tally = Tally(system, recorder);
        foreach (var message in new object[] { 5L, 7L, "snapshot", "delete", 1L }) tally.Tell(message);
        system.RunUntil(TimeSpan.FromMilliseconds(20));
        tally.Tell("fail");
        system.RunUntilIdle();
        Assert.That(recorder.Messages.TakeLast(2), Is.EqualTo(new object[] { "snapshot 2 total 12", "recovered total 13 at 3" }));
        Assert.That(Store.ReadEvents("run-1/tally-1", 1, 3, 10).Select(r => r.Deleted), Is.EqualTo(new[] { true, true, false }));
    }

    [Test]
    public void Inspection_RebuildsAnActorFromTheJournalAlone()
    {
        var (system, journal, recorder) = Record();
        var tally = Tally(system, recorder);
        foreach (var amount in new[] { 1L, 2L, 3L, 4L }) tally.Tell(amount);
        system.RunUntil(TimeSpan.FromMilliseconds(5));
        journal.Complete(RunStatus.Completed, system.ResultHash, DateTimeOffset.UnixEpoch);

        var inspection = JournalReplay.OpenForInspection(Store, "run-1", Serializer());
        var inspectRecorder = Inbox.Create(inspection, "recorder");
        var rebuilt = Tally(inspection, inspectRecorder);
        rebuilt.Tell(9L);
        inspection.RunUntilIdle();
        Assert.That(inspectRecorder.Messages.First(), Is.EqualTo("recovered total 10 at 4"));
        Assert.That(inspection.ErrorCount, Is.EqualTo(1), "persisting is refused while inspecting");
    }

    [Test]
    public void AnOldEventVersion_IsReadThroughItsAdapter()
    {
        var old = new ReceivedV1 { From = "legacy", AmountCents = 1250 };
        var manifest = EventSerializer.ManifestOf(Workload.Received.Descriptor.FullName, 1);
        Store.CreateRun(new RunRecord("old", "older build", 0, "{}", "0.1", "x", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, RunStatus.Completed, 0));
        Store.WriteWindow(new WindowWrite([new PersistentRow("old/tally-1", 1, 0, [], manifest, Google.Protobuf.MessageExtensions.ToByteArray(old), "old")], [], [], null, 0));
        var inspection = JournalReplay.OpenForInspection(Store, "old", Serializer());
        var recorder = Inbox.Create(inspection, "recorder");
        Tally(inspection, recorder);
        inspection.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "recovered total 12 at 1" }));
    }

    [TestCase("UPDATE journal SET message = X'FFFFFFFF' WHERE persistence_id = 'run-1/tally-1' AND sequence_number = 2", 2, "corrupted")]
    [TestCase("UPDATE journal SET manifest = 'nobody.Knows:7' WHERE persistence_id = 'run-1/tally-1' AND sequence_number = 3", 3, "unknown manifest 'nobody.Knows:7'")]
    [TestCase("DELETE FROM journal WHERE persistence_id = 'run-1/tally-1' AND sequence_number = 2", 2, "missing")]
    public void BadStoredData_IsReportedWithPersistenceIdAndSequenceNumber_WhileOtherActorsStillRecover(string damage, long sequenceNr, string problem)
    {
        var (system, journal, recorder) = Record();
        var damaged = Tally(system, recorder, "tally-1");
        var healthy = Tally(system, recorder, "tally-2");
        foreach (var amount in new[] { 1L, 2L, 3L, 4L })
        {
            damaged.Tell(amount);
            healthy.Tell(amount * 10);
        }
        system.RunUntil(TimeSpan.FromMilliseconds(5));
        journal.Complete(RunStatus.Completed, system.ResultHash, DateTimeOffset.UnixEpoch);
        Backend.ExecuteRaw(damage);

        var inspection = JournalReplay.OpenForInspection(Store, "run-1", Serializer());
        var errors = Inbox.Create(inspection, "errors");
        inspection.EventStream.Subscribe(errors, typeof(Error));
        var inspectRecorder = Inbox.Create(inspection, "recorder");
        Tally(inspection, inspectRecorder, "tally-1");
        Tally(inspection, inspectRecorder, "tally-2");
        inspection.RunUntilIdle();

        var error = errors.OfType<Error>().Single();
        Assert.That(error.Source.Name, Is.EqualTo("tally-1"));
        var cause = (JournalDataException)error.Cause.InnerException!;
        Assert.That((cause.PersistenceId, cause.SequenceNr), Is.EqualTo(("run-1/tally-1", sequenceNr)));
        Assert.That(cause.Message, Does.Contain(problem).And.Contain("'run-1/tally-1' at sequence number"));
        Assert.That(inspectRecorder.Messages, Is.EqualTo(new object[] { "recovered total 100 at 4" }), "the healthy actor recovered");
    }
}
