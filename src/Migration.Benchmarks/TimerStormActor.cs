using Migration.Actors;

namespace Migration.Benchmarks;

/// <summary>Starts many single timers at random delays within a second and counts them as they fire.</summary>
internal sealed class TimerStormActor : ReceiveActor
{
    public TimerStormActor(int timers, long[] fired)
    {
        Receive<Start>(_ =>
        {
            for (var i = 0; i < timers; i++)
                Timers.StartSingleTimer(i, new Ball(i), new TimeSpan(Context.Random.Next(0, TimeSpan.TicksPerSecond)));
        });
        Receive<Ball>(_ => fired[0]++);
    }

    public sealed class Start
    {
        public static readonly Start Instance = new();
    }
}
