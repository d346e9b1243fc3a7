using Migration.Actors;
using Migration.Actors.Util;

namespace Migration.Benchmarks;

/// <summary>
/// `migration bench engine`: the actor engine against a bare priority-queue loop (the BCL
/// <see cref="PriorityQueue{TElement,TPriority}"/> keyed like the engine, allocating each message,
/// dispatching it by recipient and folding it into a hash) doing the equivalent pushes and pops.
/// Setup (creating the system and its actors) is outside the timed span; every message is counted
/// by the actor that handles it, and a repetition that handled a different number is refused.
/// </summary>
public static class EngineBenchmarks
{
    public sealed record Sizes(long PingPongMessages, int FanOutActors, int FanOutRounds, int Timers, int Repetitions)
    {
        public static Sizes Full { get; } = new(5_000_000, 10_000, 50, 100_000, 5);

        /// <summary>For smoke tests: the same workloads, small enough to finish in well under a second.</summary>
        public static Sizes Quick { get; } = new(50_000, 1_000, 2, 5_000, 1);
    }

    /// <summary>The benchmarks by name, in the order they run.</summary>
    public static IReadOnlyList<(string Name, Func<Sizes, BenchmarkResult> Run)> All { get; } =
    [
        ("ping-pong", PingPong),
        ("fan-out-10k", FanOut),
        ("timers-100k", Timers),
    ];

    public static BenchmarkResult PingPong(Sizes sizes)
    {
        var messages = sizes.PingPongMessages;
        var (engine, baseline) = Measure.BestPerSecond(messages, sizes.Repetitions, () =>
        {
            var handled = new long[1];
            var system = ActorSystem.Create("bench");
            var a = system.ActorOf(Props.Create(() => new PingPongActor(messages, handled)), "a");
            var b = system.ActorOf(Props.Create(() => new PingPongActor(messages, handled)), "b");
            system.RunUntilIdle();
            return () =>
            {
                a.Tell(new Ball(1), b);
                system.RunUntilIdle();
                return handled[0];
            };
        }, () => () => BaselinePingPong(messages));
        return new BenchmarkResult("ping-pong", "two actors passing a new message back and forth", messages, engine, baseline);
    }

    public static BenchmarkResult FanOut(Sizes sizes)
    {
        var messages = 2L * sizes.FanOutActors * sizes.FanOutRounds;
        var (engine, baseline) = Measure.BestPerSecond(messages, sizes.Repetitions, () =>
        {
            var handled = new long[1];
            var system = ActorSystem.Create("bench");
            var coordinator = system.ActorOf(Props.Create(() => new FanOutCoordinator(sizes.FanOutActors, sizes.FanOutRounds, handled)), "coordinator");
            system.RunUntilIdle();
            return () =>
            {
                coordinator.Tell(FanOutCoordinator.Go.Instance);
                system.RunUntilIdle();
                return handled[0];
            };
        }, () => () => BaselineFanOut(sizes.FanOutActors, sizes.FanOutRounds));
        return new BenchmarkResult("fan-out-10k", $"one actor to {sizes.FanOutActors:N0} actors and back, {sizes.FanOutRounds} rounds", messages, engine, baseline);
    }

    public static BenchmarkResult Timers(Sizes sizes)
    {
        var timers = sizes.Timers;
        var (engine, baseline) = Measure.BestPerSecond(timers, sizes.Repetitions, () =>
        {
            var fired = new long[1];
            var system = ActorSystem.Create("bench", new ActorSystemSettings { Seed = 1 });
            var storm = system.ActorOf(Props.Create(() => new TimerStormActor(timers, fired)), "storm");
            system.RunUntilIdle();
            return () =>
            {
                storm.Tell(TimerStormActor.Start.Instance);
                system.RunUntilIdle();
                return fired[0];
            };
        }, () => () => BaselineTimers(timers));
        return new BenchmarkResult("timers-100k", $"{timers:N0} single timers at random delays within 1 s, each firing once", timers, engine, baseline);
    }

    private static long BaselinePingPong(long messages)
    {
        var queue = new PriorityQueue<BaselineMessage, BaselineKey>();
        long seq = 0;
        ulong hash = 0;
        long delivered = 0;
        // Each recipient's handler is a delegate, as an actor's is: the least a dispatch can be.
        var handlers = new Action<BaselineMessage>[2];
        for (var i = 0; i < handlers.Length; i++)
        {
            handlers[i] = message =>
            {
                if (message.Value < messages)
                    queue.Enqueue(new BaselineMessage(1 - message.Target, message.Value + 1), new BaselineKey(0, 0, ++seq));
            };
        }
        queue.Enqueue(new BaselineMessage(0, 1), new BaselineKey(0, 0, ++seq));
        while (queue.TryDequeue(out var message, out _))
        {
            delivered++;
            hash = StableHash.Add(hash, (ulong)message.Value);
            handlers[message.Target](message);
        }
        GC.KeepAlive(hash);
        return delivered;
    }

    private static long BaselineFanOut(int actors, int rounds)
    {
        var queue = new PriorityQueue<BaselineMessage, BaselineKey>();
        long seq = 0;
        ulong hash = 0;
        long delivered = 0;
        var pending = 0;
        var handlers = new Action<BaselineMessage>[actors + 1];
        handlers[0] = _ => pending--;
        for (var i = 1; i <= actors; i++) handlers[i] = message => queue.Enqueue(new BaselineMessage(0, message.Target), new BaselineKey(0, 0, ++seq));
        for (var round = 0; round < rounds; round++)
        {
            pending = actors;
            for (var i = 1; i <= actors; i++) queue.Enqueue(new BaselineMessage(i, round), new BaselineKey(0, 0, ++seq));
            while (queue.TryDequeue(out var message, out _))
            {
                delivered++;
                hash = StableHash.Add(hash, (ulong)message.Value);
                handlers[message.Target](message);
            }
            if (pending != 0) throw new InvalidOperationException($"baseline fan-out round {round} lost {pending} replies");
        }
        GC.KeepAlive(hash);
        return delivered;
    }

    private static long BaselineTimers(int timers)
    {
        var queue = new PriorityQueue<BaselineMessage, BaselineKey>();
        var random = new DeterministicRandom(1);
        long seq = 0;
        ulong hash = 0;
        long delivered = 0;
        long fired = 0;
        Action<BaselineMessage> handler = _ => fired++;
        for (var i = 0; i < timers; i++)
            queue.Enqueue(new BaselineMessage(0, i), new BaselineKey(random.Next(0, TimeSpan.TicksPerSecond), 0, ++seq));
        while (queue.TryDequeue(out var message, out _))
        {
            delivered++;
            hash = StableHash.Add(hash, (ulong)message.Value);
            handler(message);
        }
        if (fired != timers) throw new InvalidOperationException($"baseline timers fired {fired} of {timers}");
        GC.KeepAlive(hash);
        return delivered;
    }
}
