namespace Migration.Actors.Tests;

public class LifecycleTests
{
    private ActorSystem system = null!;
    private Inbox recorder = null!;
    private Inbox deadLetters = null!;

    [SetUp]
    public void SetUp()
    {
        system = ActorSystem.Create("life", new ActorSystemSettings { Seed = 11, HostCount = 2, CrossHostLatency = TimeSpan.FromMilliseconds(2) });
        recorder = Inbox.Create(system, "rec");
        deadLetters = Inbox.Create(system, "dead");
        system.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
    }

    [Test]
    public void DeathWatch_DeliversTerminated_WhenTheSubjectStops()
    {
        var subject = system.ActorOf(Props.Create(() => new EchoActor()), "subject", host: 1);
        system.ActorOf(Props.Create(() => new WatcherActor(subject, recorder)), "watcher", host: 0);
        system.RunUntil(TimeSpan.FromMilliseconds(10));
        subject.Tell(PoisonPill.Instance);
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "Terminated subject at 12ms" }),
            "stopped at 10 ms on host 1; the notification crosses to host 0 in 2 ms");
    }

    [Test]
    public void DeathWatch_DeliversTerminated_ForAChildStoppedByItsSupervisor()
    {
        var parent = system.ActorOf(Props.Create(() => new ParentActor(Supervision.SupervisorStrategy.Stopping,
            ("c", Props.Create(() => new RecordingActor(recorder, "c:"))))), "parent");
        system.RunUntilIdle();
        var child = ((ActorCell)parent).Child("c")!;
        system.ActorOf(Props.Create(() => new WatcherActor(child, recorder)), "watcher");
        system.RunUntilIdle();
        recorder.Clear();
        parent.Tell(("c", (object)"fail"));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "c:PostStop", "Terminated c at 0ms" }));
    }

    [Test]
    public void DeathWatch_OfAnAlreadyStoppedActor_DeliversTerminatedAtOnce()
    {
        var subject = system.ActorOf(Props.Create(() => new EchoActor()), "subject");
        system.RunUntilIdle();
        system.Stop(subject);
        system.ActorOf(Props.Create(() => new WatcherActor(subject, recorder)), "watcher");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "Terminated subject at 0ms" }));
    }

    [Test]
    public void UnhandledTerminated_IsADeathPact_ThatStopsTheWatcher()
    {
        var subject = system.ActorOf(Props.Create(() => new EchoActor()), "subject");
        var watcher = system.ActorOf(Props.Create(() => new PactActor(subject)), "pact");
        system.ActorOf(Props.Create(() => new WatcherActor(watcher, recorder)), "observer");
        system.RunUntilIdle();
        subject.Tell(PoisonPill.Instance);
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "Terminated pact at 0ms" }));
    }

    [Test]
    public void PoisonPill_StopsAfterEarlierMessages_AndLaterOnesAreDeadLettersWithAReason()
    {
        var actor = system.ActorOf(Props.Create(() => new RecordingActor(recorder, "")), "a");
        actor.Tell(1);
        actor.Tell(PoisonPill.Instance);
        actor.Tell(2);
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "PreStart", "1", "PostStop" }));
        var letter = deadLetters.OfType<DeadLetter>().Single();
        Assert.That(letter.Message, Is.EqualTo(2));
        Assert.That(letter.Reason, Is.EqualTo("the recipient had already stopped"));
        Assert.That(system.DeadLetterCount, Is.EqualTo(1));
    }

    [Test]
    public void UnhandledMessages_AreDeadLettersNamingTheActorType()
    {
        var actor = system.ActorOf(Props.Create(() => new SilentActor()), "s");
        actor.Tell("not a ping");
        system.RunUntilIdle();
        var letter = deadLetters.OfType<DeadLetter>().Single();
        Assert.That(letter.Reason, Does.Contain("unhandled by SilentActor"));
        Assert.That(letter.Recipient, Is.SameAs(actor));
    }

    [Test]
    public void RepliesToAMessageWithoutSender_AreDeadLetters()
    {
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "e");
        echo.Tell(new Ping(1));
        system.RunUntilIdle();
        var letter = deadLetters.OfType<DeadLetter>().Single();
        Assert.That(letter.Message, Is.EqualTo(new Pong(1)));
        Assert.That(letter.Sender, Is.SameAs(echo));
        Assert.That(letter.Recipient.Path.Text, Is.EqualTo("migration://life@host-0/deadLetters"));
        Assert.That(letter.Reason, Does.Contain("no sender"));
    }

    [Test]
    public void Sender_IsTheCurrentMessages_AndDeadLettersInALifecycleHook()
    {
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "e");
        var actor = system.ActorOf(Props.Create(() => new SenderReporter(recorder)), "reporter");
        actor.Tell("first", echo);
        actor.Tell(PoisonPill.Instance, echo);
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[]
        {
            "PreStart: migration://life@host-0/deadLetters",
            "first: migration://life@host-0/user/e",
            "PostStop: migration://life@host-0/deadLetters",
        }), "a hook handles no message, so it has no sender, even right after a message that had one");
    }

    private sealed class SenderReporter : ReceiveActor
    {
        private readonly IActorRef recorder;

        public SenderReporter(IActorRef recorder)
        {
            this.recorder = recorder;
            Receive<string>(text => recorder.Tell($"{text}: {Sender.Path}"));
        }

        protected internal override void PreStart() => recorder.Tell($"PreStart: {Sender.Path}");

        protected internal override void PostStop() => recorder.Tell($"PostStop: {Sender.Path}");
    }

    [Test]
    public void StoppingAParent_StopsItsChildrenFirst()
    {
        var parent = system.ActorOf(Props.Create(() => new ParentActor(Supervision.SupervisorStrategy.Default,
            ("a", Props.Create(() => new RecordingActor(recorder, "a:"))), ("b", Props.Create(() => new RecordingActor(recorder, "b:"))))), "p");
        system.RunUntilIdle();
        system.Stop(parent);
        Assert.That(recorder.Messages.Where(m => ((string)m).EndsWith("PostStop")), Is.Empty, "PostStop messages are sent, not yet delivered");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "a:PreStart", "b:PreStart", "a:PostStop", "b:PostStop" }));
        Assert.That(((ActorCell)parent).Children, Is.Empty);
    }

    [Test]
    public void StopSelf_TakesEffectAfterTheCurrentMessage()
    {
        var actor = system.ActorOf(Props.Create(() => new RecordingActor(recorder, "")), "a");
        actor.Tell("stop");
        actor.Tell("after");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "PreStart", "PostStop" }));
        Assert.That(deadLetters.OfType<DeadLetter>().Single().Message, Is.EqualTo("after"));
    }

    [Test]
    public void ConstructingAnActorWithNew_IsRefused()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new SilentActor());
        Assert.That(failure!.Message, Does.Contain("ActorOf"));
    }
}

/// <summary>Watches a subject without handling Terminated.</summary>
public sealed class PactActor : ReceiveActor
{
    public PactActor(IActorRef subject)
    {
        Context.Watch(subject);
        Receive<Ping>(_ => { });
    }
}
