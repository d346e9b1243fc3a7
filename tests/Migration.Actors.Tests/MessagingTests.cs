using Migration.Actors.Ask;

namespace Migration.Actors.Tests;

public class MessagingTests
{
    private static ActorSystem NewSystem(int hosts = 1) =>
        ActorSystem.Create("test", new ActorSystemSettings { Seed = 7, HostCount = hosts, CrossHostLatency = TimeSpan.FromMilliseconds(1) });

    [Test]
    public void Tell_DeliversMessagesInSendOrder()
    {
        var system = NewSystem();
        var inbox = Inbox.Create(system, "rec");
        var actor = system.ActorOf(Props.Create(() => new RecordingActor(inbox)), "a");
        for (var i = 0; i < 5; i++) actor.Tell(i);
        system.RunUntilIdle();
        Assert.That(inbox.Messages, Is.EqualTo(new object[] { "PreStart", "0", "1", "2", "3", "4" }));
    }

    [Test]
    public void Ask_CompletesWithTheReply()
    {
        var system = NewSystem();
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var reply = echo.Ask<Pong>(new Ping(42), TimeSpan.FromSeconds(1));
        system.RunUntilIdle();
        Assert.That(reply.IsCompletedSuccessfully, Is.True);
        Assert.That(reply.Result, Is.EqualTo(new Pong(42)));
    }

    [Test]
    public void Ask_TimesOutInVirtualTime_AtExactlyTheTimeout()
    {
        var system = NewSystem();
        var silent = system.ActorOf(Props.Create(() => new SilentActor()), "silent");
        var reply = silent.Ask<Pong>(new Ping(1), TimeSpan.FromSeconds(5));
        system.RunUntil(TimeSpan.FromSeconds(4.999));
        Assert.That(reply.IsCompleted, Is.False, "no timeout before 5 s of virtual time");
        system.RunUntilIdle();
        Assert.That(reply.IsFaulted, Is.True);
        Assert.That(reply.Exception!.InnerException, Is.TypeOf<AskTimeoutException>());
        Assert.That(reply.Exception.InnerException!.Message, Does.Contain("/user/silent").And.Contain("00:00:05"));
        Assert.That(system.Now, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Forward_KeepsTheOriginalSender()
    {
        var system = NewSystem();
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var parent = system.ActorOf(Props.Create(() => new ParentActor(Supervision.SupervisorStrategy.Default,
            ("echo", Props.Create(() => new EchoActor())))), "parent");
        var reply = parent.Ask<Pong>(("echo", (object)new Ping(9)), TimeSpan.FromSeconds(1));
        system.RunUntilIdle();
        Assert.That(reply.Result, Is.EqualTo(new Pong(9)), "the child replied straight to the asker");
        Assert.That(echo, Is.Not.Null);
    }

    [Test]
    public void Children_HaveHierarchicalPaths_AndKnowTheirParent()
    {
        var system = NewSystem(hosts: 2);
        var parent = system.ActorOf(Props.Create(() => new ParentActor(Supervision.SupervisorStrategy.Default,
            ("kid", Props.Create(() => new EchoActor())))), "parent", host: 1);
        system.RunUntilIdle();
        var cell = (ActorCell)parent;
        var child = cell.Child("kid")!;
        Assert.That(child.Path.Text, Is.EqualTo("migration://test@host-1/user/parent/kid"));
        Assert.That(child.Path.Elements, Is.EqualTo("/user/parent/kid"));
        Assert.That(child.Path.StableHash, Is.EqualTo(Util.StableHash.Of(child.Path.Text)), "a child's hash continues its parent's over the same text");
        var rebuilt = ActorPath.Root("test", 1).Child("user").Child("parent").Child("kid");
        Assert.That(rebuilt, Is.EqualTo(child.Path));
        Assert.That(rebuilt, Is.Not.EqualTo(ActorPath.Root("test", 0).Child("user").Child("parent").Child("kid")), "another host");
        Assert.That(rebuilt, Is.Not.EqualTo(ActorPath.Root("test", 1).Child("user").Child("parent").Child("kid2")));
        Assert.That(((ActorCell)child).Parent, Is.SameAs(parent));
        Assert.That(cell.Children, Is.EqualTo(new[] { child }));
        // The path is built when first asked for; delivery uses the hash and host known before that.
        Assert.That(child.Path, Is.SameAs(child.Path), "built once");
        Assert.That(((InternalActorRef)child).PathHash, Is.EqualTo(child.Path.StableHash));
        Assert.That(child.HostOf(), Is.EqualTo(1));
    }

    [Test]
    public void ActorOf_RejectsDuplicateAndMalformedNames()
    {
        var system = NewSystem();
        system.ActorOf(Props.Create(() => new EchoActor()), "same");
        Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create(() => new EchoActor()), "same"));
        Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create(() => new EchoActor()), "a/b"));
        Assert.Throws<InvalidActorNameException>(() => system.ActorOf(Props.Create(() => new EchoActor()), "$x"));
    }

    [Test]
    public void MessagesBetweenHosts_TakeTheCrossHostLatency()
    {
        var system = NewSystem(hosts: 2);
        var inbox = Inbox.Create(system, "rec", host: 0);
        var local = system.ActorOf(Props.Create(() => new EchoActor()), "local", host: 0);
        var remote = system.ActorOf(Props.Create(() => new EchoActor()), "remote", host: 1);
        local.Tell(new Ping(1), inbox);
        remote.Tell(new Ping(2), inbox);
        system.RunUntilIdle();
        Assert.That(inbox.Received.Select(r => (r.Message, r.At)), Is.EqualTo(new[]
        {
            ((object)new Pong(1), TimeSpan.Zero),
            ((object)new Pong(2), TimeSpan.FromMilliseconds(1)),
        }));
    }

    [Test]
    public void Become_SwitchesBehaviour_AndUnbecomeReturns()
    {
        var system = NewSystem();
        var inbox = Inbox.Create(system, "rec");
        var actor = system.ActorOf(Props.Create(() => new MoodActor(inbox)), "mood");
        foreach (var m in new[] { "hi", "angry", "hi", "calm", "hi" }) actor.Tell(m);
        system.RunUntilIdle();
        Assert.That(inbox.Messages, Is.EqualTo(new object[] { "hello", "GRR", "hello" }));
    }

    [Test]
    public void Stash_HoldsMessagesUntilUnstashAll_ThenDeliversThemFirstInOrder()
    {
        var system = NewSystem();
        var inbox = Inbox.Create(system, "rec");
        var actor = system.ActorOf(Props.Create(() => new GateActor(inbox)), "gate");
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("open");
        actor.Tell("c");
        system.RunUntilIdle();
        Assert.That(inbox.Messages, Is.EqualTo(new object[] { "opened", "a", "b", "c" }));
    }

    [Test]
    public void PerActorRandom_IsDerivedFromSeedAndPath()
    {
        static ulong[] Draw(ulong seed, string name)
        {
            var system = ActorSystem.Create("r", new ActorSystemSettings { Seed = seed });
            var cell = (ActorCell)system.ActorOf(Props.Create(() => new EchoActor()), name);
            return Enumerable.Range(0, 4).Select(_ => cell.Random.NextUInt64()).ToArray();
        }
        Assert.That(Draw(1, "a"), Is.EqualTo(Draw(1, "a")));
        Assert.That(Draw(1, "a"), Is.Not.EqualTo(Draw(2, "a")));
        Assert.That(Draw(1, "a"), Is.Not.EqualTo(Draw(1, "b")));
    }

    [Test]
    public void RunUntil_StopsAtTheBound_AndAdvancesNow()
    {
        var system = NewSystem();
        var inbox = Inbox.Create(system, "rec");
        var actor = system.ActorOf(Props.Create(() => new TickerActor(inbox, TimeSpan.FromMilliseconds(10))), "ticker");
        var result = system.RunUntil(TimeSpan.FromMilliseconds(35));
        Assert.That(result.Completed, Is.True);
        Assert.That(system.Now, Is.EqualTo(TimeSpan.FromMilliseconds(35)));
        Assert.That(inbox.Received.Select(r => r.At.TotalMilliseconds), Is.EqualTo(new[] { 10.0, 20.0, 30.0 }));
        Assert.That(actor, Is.Not.Null);
    }

    [Test]
    public void RunUntilIdle_EndsAtTheEventLimit_WhenWorkNeverEnds()
    {
        var system = NewSystem();
        var inbox = Inbox.Create(system, "rec");
        system.ActorOf(Props.Create(() => new TickerActor(inbox, TimeSpan.FromMilliseconds(1))), "ticker");
        var result = system.RunUntilIdle(eventsMax: 100);
        Assert.That(result.Completed, Is.False);
        Assert.That(result.Delivered, Is.EqualTo(100));
    }
}

/// <summary>Says hello, or GRR once angry; calm returns to the old behaviour.</summary>
public sealed class MoodActor : ReceiveActor
{
    private readonly IActorRef recorder;

    public MoodActor(IActorRef recorder)
    {
        this.recorder = recorder;
        Friendly();
    }

    private void Friendly()
    {
        Receive<string>(s => s == "hi", _ => recorder.Tell("hello"));
        Receive<string>(s => s == "angry", _ => BecomeStacked(Angry));
    }

    private void Angry()
    {
        Receive<string>(s => s == "hi", _ => recorder.Tell("GRR"));
        Receive<string>(s => s == "calm", _ => Unbecome());
    }
}

/// <summary>Stashes everything until "open", then unstashes and passes messages on.</summary>
public sealed class GateActor : ReceiveActor
{
    private readonly IActorRef recorder;

    public GateActor(IActorRef recorder)
    {
        this.recorder = recorder;
        Receive<string>(s => s == "open", _ =>
        {
            recorder.Tell("opened");
            Become(Open);
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Open() => ReceiveAny(m => recorder.Tell(m));
}

/// <summary>Reports the virtual time at every tick of a periodic timer.</summary>
public sealed class TickerActor : ReceiveActor
{
    public TickerActor(IActorRef recorder, TimeSpan interval)
    {
        Timers.StartPeriodicTimer("tick", "tick", interval);
        Receive<string>(_ => recorder.Tell(Context.Now));
    }
}
