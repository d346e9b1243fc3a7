namespace Migration.Actors.Tests;

public class BoundaryObserverTests
{
    private sealed class Recorder(long intervalTicks, Inbox inbox) : IBoundaryObserver
    {
        public List<(double BoundaryMs, int TicksBefore, int TicksSeen)> Seen { get; } = new();

        public long IntervalTicks => intervalTicks;

        public void OnBoundary(long boundaryTicks) =>
            Seen.Add((new TimeSpan(boundaryTicks).TotalMilliseconds, inbox.Received.Count(r => r.At.Ticks < boundaryTicks), inbox.Received.Count));
    }

    [TestCase(ExecutionMode.Sequential)]
    [TestCase(ExecutionMode.Windowed)]
    public void ARun_PausesAtEveryBoundary_WithEveryEarlierEventDelivered_AndNoLaterOne(ExecutionMode mode)
    {
        var system = ActorSystem.Create("b", new ActorSystemSettings { HostCount = 2, Mode = mode, CrossHostLatency = TimeSpan.FromMilliseconds(4) });
        var inbox = Inbox.Create(system, "rec");
        system.ActorOf(Props.Create(() => new TimerActor(inbox, a => a.Periodic("p", "tick", TimeSpan.FromMilliseconds(3)))), "a", host: 1);
        var recorder = new Recorder(TimeSpan.FromMilliseconds(10).Ticks, inbox);
        system.AddBoundaryObserver(recorder);
        system.RunUntil(TimeSpan.FromMilliseconds(35));
        Assert.That(recorder.Seen.Select(s => s.BoundaryMs), Is.EqualTo(new[] { 10.0, 20.0, 30.0 }));
        Assert.That(recorder.Seen.All(s => s.TicksBefore == s.TicksSeen), Is.True, "nothing at or after a boundary was delivered before it");
        // Ticks every 3 ms on host 1 cross to host 0's inbox in 4 ms: they arrive at 7, 10, 13, ... 28 ms.
        Assert.That(recorder.Seen.Select(s => s.TicksSeen), Is.EqualTo(new[] { 1, 5, 8 }));
    }

    [Test]
    public void QuietStretches_AreFoldedIntoOneBoundary_AndTheBoundBeforeIdleIsReached()
    {
        var system = ActorSystem.Create("b");
        var inbox = Inbox.Create(system, "rec");
        system.ActorOf(Props.Create(() => new TimerActor(inbox, a => a.Single("t", "late", TimeSpan.FromMilliseconds(100)))), "a");
        var recorder = new Recorder(TimeSpan.FromMilliseconds(10).Ticks, inbox);
        system.AddBoundaryObserver(recorder);
        system.RunUntil(TimeSpan.FromMilliseconds(150));
        Assert.That(recorder.Seen.Select(s => s.BoundaryMs), Is.EqualTo(new[] { 100.0, 150.0 }));
    }
}
