using Migration.Actors;
using Migration.Workload;

namespace Migration.Persistence.Tests;

/// <summary>A persistent running total, reporting what it does to a recorder.</summary>
public sealed class TallyActor : ReceivePersistentActor
{
    private readonly string id;
    private long total;

    public TallyActor(string id, IActorRef recorder)
    {
        this.id = id;
        Recover<SnapshotOffer>(offer =>
        {
            total = ((AccountSnapshot)offer.Snapshot).Balance;
            recorder.Tell($"snapshot {offer.SequenceNr} total {total}");
        });
        Recover<Workload.Received>(e => total += e.Amount);
        Recover<RecoveryCompleted>(_ => recorder.Tell($"recovered total {total} at {LastSequenceNr}"));
        Command<long>(amount => Persist(new Workload.Received { From = "test", Amount = amount }, e =>
        {
            total += e.Amount;
            recorder.Tell($"persisted {LastSequenceNr} total {total}");
        }));
        Command<string>(s => s == "fail", _ => throw new InvalidOperationException("asked to fail"));
        Command<string>(s => s == "snapshot", _ => SaveSnapshot(new AccountSnapshot { Balance = total, Events = LastSequenceNr }));
        Command<string>(s => s == "delete", _ => DeleteMessages(LastSequenceNr));
        Command<string>(s => s == "total", _ => recorder.Tell($"total {total}"));
    }

    public override string PersistenceId => id;
}
