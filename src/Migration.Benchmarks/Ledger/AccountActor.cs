using Migration.Actors;
using Migration.Persistence;
using Migration.Workload;

namespace Migration.Benchmarks.Ledger;

/// <summary>
/// A persistent account: on its own timer it persists a transfer to a random peer and sends it;
/// on receiving one it persists the receipt. It snapshots every so often and deletes what the
/// snapshot covers. Every choice comes from its seeded generator.
/// </summary>
public sealed class AccountActor : ReceivePersistentActor
{
    private const int SnapshotEveryEvents = 50;

    private readonly string name;
    private readonly LedgerOptions options;
    private IActorRef[] peers = [];
    private long balance;
    private long events;
    private long transfersSent;

    public AccountActor(string name, LedgerOptions options)
    {
        this.name = name;
        this.options = options;
        Recover<SnapshotOffer>(offer =>
        {
            var snapshot = (AccountSnapshot)offer.Snapshot;
            balance = snapshot.Balance;
            events = snapshot.Events;
        });
        Recover<Transferred>(Apply);
        Recover<Workload.Received>(Apply);
        Command<Peers>(StartTransfers);
        Command<Tick>(_ => SendTransfer());
        Command<Transfer>(ReceiveTransfer);
        Command<BalanceQuery>(_ => Sender.Tell(balance));
    }

    public override string PersistenceId => name;

    public long Balance => balance;

    private void StartTransfers(Peers message)
    {
        peers = message.All;
        var interval = options.TickInterval + TimeSpan.FromTicks(Context.Random.Next(0, options.TickInterval.Ticks));
        Timers.StartPeriodicTimer("tick", new Tick(), interval);
    }

    private void SendTransfer()
    {
        var random = Context.Random;
        var to = peers[random.Next(peers.Length)];
        var amount = 1 + random.Next(0, 1000);
        var transferred = new Transferred { To = to.Path.Name, Amount = amount, TransferId = ++transfersSent };
        PersistTagged(transferred, ["transfers"], e =>
        {
            Apply(e);
            to.Tell(new Transfer(name, e.Amount, e.TransferId));
        });
    }

    private void ReceiveTransfer(Transfer transfer) =>
        Persist(new Workload.Received { From = transfer.From, Amount = transfer.Amount, TransferId = transfer.TransferId }, e =>
        {
            Apply(e);
            if (events % SnapshotEveryEvents == 0)
            {
                SaveSnapshot(new AccountSnapshot { Balance = balance, Events = events });
                if (options.DeleteAfterSnapshot) DeleteMessages(LastSequenceNr);
            }
        });

    private void Apply(Transferred e)
    {
        balance -= e.Amount;
        events++;
    }

    private void Apply(Workload.Received e)
    {
        balance += e.Amount;
        events++;
    }

    public sealed record Peers(IActorRef[] All);

    public sealed record Tick;

    public sealed record Transfer(string From, long Amount, long TransferId);

    public sealed record BalanceQuery;
}
