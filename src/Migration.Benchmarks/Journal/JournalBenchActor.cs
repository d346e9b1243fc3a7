using Migration.Persistence;
using Migration.Workload;

namespace Migration.Benchmarks.Journal;

/// <summary>Persists the events it is told to, each with a payload of about 200 bytes, and recovers them.</summary>
internal sealed class JournalBenchActor : ReceivePersistentActor
{
    private readonly string id;
    private readonly long[] recovered;

    public JournalBenchActor(string id, string padding, long[] recovered)
    {
        this.id = id;
        this.recovered = recovered;
        Recover<Transferred>(_ => this.recovered[0]++);
        Command<JournalBenchmarks.Write>(write =>
        {
            for (var i = 0; i < write.Events; i++)
                Persist(new Transferred { To = padding, Amount = i, TransferId = LastSequenceNr + 1 }, _ => { });
        });
    }

    public override string PersistenceId => id;
}
