using Migration.Actors.Ask;

namespace Migration.Actors.Tests;

/// <summary>
/// A randomized workload of many actors and timers across hosts: periodic and single timers,
/// messages hopping between random peers, asks that sometimes time out, children created and
/// stopped, watched, stashed. Every choice comes from the actors' seeded generators.
/// </summary>
public static class ChaosWorkload
{
    public const int ActorCount = 60;

    public static ActorSystem Run(ulong seed, int hosts, ExecutionMode mode, TimeSpan duration, double? pacing = null)
    {
        var system = ActorSystem.Create("chaos", new ActorSystemSettings
        {
            Seed = seed,
            HostCount = hosts,
            Mode = mode,
            CrossHostLatency = TimeSpan.FromMilliseconds(1),
            Pacing = pacing,
        });
        var actors = Enumerable.Range(0, ActorCount)
            .Select(i => system.ActorOf(Props.Create(() => new ChaosActor()), $"chaos-{i}", host: i % hosts))
            .ToArray();
        foreach (var actor in actors) actor.Tell(new Peers(actors));
        var result = system.RunUntil(duration);
        if (!result.Completed) throw new InvalidOperationException($"seed {seed}: the chaos run did not complete");
        return system;
    }

    public sealed record Peers(IActorRef[] All);

    public sealed record Work(int Hops, long Payload);

    public sealed record Done(long Payload);

    public sealed record Tick;

    public sealed record Burst(int Count);

    public sealed class ChaosActor : ReceiveActor
    {
        private IActorRef[] peers = [];
        private long state;
        private int childrenCreated;

        public ChaosActor()
        {
            Receive<Peers>(Start);
            Receive<Tick>(_ => OnTick());
            Receive<Burst>(b => { for (var i = 0; i < b.Count; i++) RandomPeer().Tell(new Work(1, i)); });
            Receive<Work>(OnWork);
            Receive<Done>(d => state = state * 31 + d.Payload);
            Receive<Ping>(p => Context.ScheduleTellOnce(TimeSpan.FromMilliseconds(Context.Random.Next(10)), Sender, new Pong(p.N), Self));
            Receive<Pong>(p => state ^= p.N);
            Receive<Status.Failure>(_ => state++);
            Receive<Terminated>(_ => state += 7);
            Receive<string>(s => s == "hold", _ => BecomeStacked(Holding));
        }

        private void Start(Peers message)
        {
            peers = message.All;
            var random = Context.Random;
            Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromMilliseconds(2 + random.Next(20)));
            Timers.StartSingleTimer("burst", new Burst(1 + random.Next(5)), TimeSpan.FromMilliseconds(random.Next(500)));
        }

        private void OnTick()
        {
            var random = Context.Random;
            RandomPeer().Tell(new Work(1 + random.Next(4), random.Next(1000)));
            var roll = random.Next(100);
            if (roll < 5)
            {
                RandomPeer().Ask<Pong>(new Ping(random.Next(100)), TimeSpan.FromMilliseconds(5)).PipeTo(Self);
            }
            else if (roll < 8)
            {
                var child = Context.ActorOf(Props.Create(() => new ShortLivedActor()), $"child-{++childrenCreated}");
                Context.Watch(child);
            }
            else if (roll < 10)
            {
                Self.Tell("hold");
                Timers.StartSingleTimer("release", "release", TimeSpan.FromMilliseconds(random.Next(1, 8)));
            }
        }

        private void OnWork(Work work)
        {
            state = state * 17 + work.Payload;
            if (work.Hops > 1) RandomPeer().Tell(new Work(work.Hops - 1, work.Payload + state % 7));
            else Sender.Tell(new Done(work.Payload));
        }

        /// <summary>Stashes work until released: exercises Stash and BecomeStacked under load.</summary>
        private void Holding()
        {
            Receive<string>(s => s == "release", _ =>
            {
                Unbecome();
                Stash.UnstashAll();
            });
            Receive<Tick>(_ => { });
            ReceiveAny(_ => Stash.Stash());
        }

        private IActorRef RandomPeer() => peers[Context.Random.Next(peers.Length)];
    }

    public sealed class ShortLivedActor : ReceiveActor
    {
        public ShortLivedActor()
        {
            Timers.StartSingleTimer("end", PoisonPill.Instance, TimeSpan.FromMilliseconds(1 + Context.Random.Next(30)));
            ReceiveAny(_ => { });
        }
    }
}
