using Migration.Actors;

namespace Migration.Benchmarks;

/// <summary>Sends one message to each of its workers and waits for every reply, round after round.</summary>
internal sealed class FanOutCoordinator : ReceiveActor
{
    private readonly IActorRef[] workers;
    private readonly int rounds;
    private readonly long[] handled;
    private int round;
    private int pending;

    public FanOutCoordinator(int workerCount, int rounds, long[] handled)
    {
        this.rounds = rounds;
        this.handled = handled;
        workers = new IActorRef[workerCount];
        for (var i = 0; i < workerCount; i++) workers[i] = Context.ActorOf(Props.Create(() => new Worker(handled)), $"w{i}");
        Receive<Go>(_ => StartRound());
        Receive<Ball>(_ => OnReply());
    }

    private void StartRound()
    {
        pending = workers.Length;
        foreach (var worker in workers) worker.Tell(new Ball(round), Self);
    }

    private void OnReply()
    {
        handled[0]++;
        if (--pending > 0) return;
        if (++round < rounds) StartRound();
    }

    public sealed class Go
    {
        public static readonly Go Instance = new();
    }

    private sealed class Worker : ReceiveActor
    {
        public Worker(long[] handled)
        {
            Receive<Ball>(ball =>
            {
                handled[0]++;
                Sender.Tell(new Ball(ball.N), Self);
            });
        }
    }
}
