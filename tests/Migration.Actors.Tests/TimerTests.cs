namespace Migration.Actors.Tests;

public class TimerTests
{
    private ActorSystem system = null!;
    private Inbox recorder = null!;

    [SetUp]
    public void SetUp()
    {
        system = ActorSystem.Create("timers", new ActorSystemSettings { Seed = 5 });
        recorder = Inbox.Create(system, "rec");
    }

    [Test]
    public void SingleTimer_FiresOnceAtItsDelay()
    {
        system.ActorOf(Props.Create(() => new TimerActor(recorder, a => a.Single("t", "fired", TimeSpan.FromSeconds(3)))), "a");
        system.RunUntilIdle();
        Assert.That(recorder.Received.Select(r => (r.Message, r.At)), Is.EqualTo(new[] { ((object)"fired@3000", TimeSpan.FromSeconds(3)) }));
    }

    [Test]
    public void PeriodicTimer_FiresEveryInterval_UntilCancelled()
    {
        system.ActorOf(Props.Create(() => new TimerActor(recorder, a => a.Periodic("p", "tick", TimeSpan.FromMilliseconds(100)))), "a");
        system.RunUntil(TimeSpan.FromMilliseconds(350));
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "tick@100", "tick@200", "tick@300" }));
    }

    [Test]
    public void CancelledTimer_NeverFires()
    {
        system.ActorOf(Props.Create(() => new TimerActor(recorder, a =>
        {
            a.Single("t", "never", TimeSpan.FromSeconds(1));
            a.Single("u", "cancel t", TimeSpan.FromMilliseconds(500));
        })), "a");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "cancel t@500" }));
    }

    [Test]
    public void RestartingATimerKey_ReplacesTheOldTimer()
    {
        system.ActorOf(Props.Create(() => new TimerActor(recorder, a =>
        {
            a.Single("t", "first", TimeSpan.FromSeconds(1));
            a.Single("t", "second", TimeSpan.FromSeconds(2));
        })), "a");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "second@2000" }));
    }

    [Test]
    public void ReplacedAndCancelledTimers_LeaveTheQueueAtOnce()
    {
        // A timer renewed again and again (a lease) must not leave an event behind per renewal:
        // its replaced events are withdrawn, so they are neither pending nor delivered.
        system.ActorOf(Props.Create(() => new TimerActor(recorder, a =>
        {
            for (var i = 1; i <= 50; i++) a.Single("lease", "lapsed", TimeSpan.FromSeconds(i));
            a.Single("t", "never", TimeSpan.FromSeconds(1));
            a.Single("u", "cancel t", TimeSpan.FromMilliseconds(500));
        })), "a");
        system.RunUntil(TimeSpan.FromMilliseconds(1));
        var scheduler = system.Schedulers[0];
        Assert.That(scheduler.PendingCount, Is.EqualTo(3), "one event per live timer: lease, t and u");
        system.RunUntil(TimeSpan.FromMilliseconds(600));
        Assert.That(scheduler.PendingCount, Is.EqualTo(1), "t was withdrawn when cancelled; only the lease waits");
        var delivered = scheduler.DeliveredCount(recorder.HostOf());
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "cancel t@500", "lapsed@50000" }));
        Assert.That(scheduler.DeliveredCount(recorder.HostOf()) - delivered, Is.EqualTo(2), "the lease's event and its message to the recorder, nothing stale");
        scheduler.AssertInvariants();
    }

    [Test]
    public void SeveralTimers_AreReplacedAndCancelledByKey()
    {
        // The first active timer is kept apart from the others: cancelling it, and replacing one of
        // the others, must touch that timer only.
        system.ActorOf(Props.Create(() => new TimerActor(recorder, a =>
        {
            a.Single("t", "never", TimeSpan.FromSeconds(3));
            a.Single("b", "replaced", TimeSpan.FromSeconds(1));
            a.Single("c", "c", TimeSpan.FromSeconds(2));
            a.Single("b", "b", TimeSpan.FromSeconds(4));
            a.Single("u", "cancel t", TimeSpan.FromMilliseconds(500));
            a.Periodic("p", "p", TimeSpan.FromMilliseconds(1500));
        })), "a");
        system.RunUntil(TimeSpan.FromSeconds(5));
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "cancel t@500", "p@1500", "c@2000", "p@3000", "b@4000", "p@4500" }));
        system.Schedulers[0].AssertInvariants();
    }

    [Test]
    public void ATimerDueNow_WhenReplaced_NeverFires()
    {
        // An event due at once waits in a lane and cannot be withdrawn: its entry must stay stale,
        // not be reused by the timer that replaces it or by the next one.
        system.ActorOf(Props.Create(() => new TimerActor(recorder, a =>
        {
            a.Single("t", "first", TimeSpan.Zero);
            a.Single("t", "second", TimeSpan.FromSeconds(1));
            a.Single("w", "last", TimeSpan.FromSeconds(2));
        })), "a");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "second@1000", "last@2000" }));
    }

    [Test]
    public void Timers_AreCancelledWhenTheActorRestarts()
    {
        var actor = system.ActorOf(Props.Create(() => new TimerOnFirstStartActor(recorder)), "a");
        actor.Tell("fail");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.Empty);
    }
}

/// <summary>Starts timers from a setup action and records what fires with the virtual time in milliseconds.</summary>
public sealed class TimerActor : ReceiveActor
{
    public TimerActor(IActorRef recorder, Action<TimerActor> setup)
    {
        setup(this);
        Receive<string>(s => s == "cancel t", s =>
        {
            Timers.Cancel("t");
            recorder.Tell($"{s}@{Context.Now.TotalMilliseconds}");
        });
        Receive<string>(s => recorder.Tell($"{s}@{Context.Now.TotalMilliseconds}"));
    }

    public void Single(string key, string message, TimeSpan delay) => Timers.StartSingleTimer(key, message, delay);

    public void Periodic(string key, string message, TimeSpan interval) => Timers.StartPeriodicTimer(key, message, interval);
}

/// <summary>Starts a timer in PreStart only; a restart (PostRestart without PreStart) does not start it again.</summary>
public sealed class TimerOnFirstStartActor : ReceiveActor
{
    public TimerOnFirstStartActor(IActorRef recorder)
    {
        Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("fail"));
        Receive<string>(s => recorder.Tell(s));
    }

    protected internal override void PreStart() => Timers.StartSingleTimer("t", "before restart", TimeSpan.FromSeconds(1));

    protected internal override void PostRestart(Exception reason)
    {
    }
}
