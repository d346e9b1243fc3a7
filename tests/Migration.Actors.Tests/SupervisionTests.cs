using Migration.Actors.Supervision;

namespace Migration.Actors.Tests;

public class SupervisionTests
{
    private ActorSystem system = null!;
    private Inbox recorder = null!;

    [SetUp]
    public void SetUp()
    {
        system = ActorSystem.Create("sup", new ActorSystemSettings { Seed = 3 });
        recorder = Inbox.Create(system, "rec");
    }

    private IActorRef Parent(SupervisorStrategy strategy, params (string, Props)[] children) =>
        system.ActorOf(Props.Create(() => new ParentActor(strategy, children)), "parent");

    private static Props Recording(IActorRef recorder, string label) => Props.Create(() => new RecordingActor(recorder, label));

    [Test]
    public void Restart_KeepsTheMailboxOrder_AndDropsOnlyTheFailingMessage()
    {
        var parent = Parent(SupervisorStrategy.Default, ("c", Recording(recorder, "")));
        foreach (var m in new object[] { 1, "fail", 2, 3, 4 }) parent.Tell(("c", m));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[]
        {
            "PreStart", "1", "PreRestart(fail)", "PostStop", "PostRestart", "PreStart", "2", "3", "4",
        }));
    }

    [Test]
    public void Resume_KeepsTheActorState()
    {
        var parent = Parent(new OneForOneStrategy(_ => Directive.Resume), ("c", Props.Create(() => new CounterActor(recorder))));
        foreach (var m in new object[] { "x", "x", "fail", "x", "count" }) parent.Tell(("c", m));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { 3 }));
    }

    [Test]
    public void Restart_ResetsTheActorState()
    {
        var parent = Parent(SupervisorStrategy.Default, ("c", Props.Create(() => new CounterActor(recorder))));
        foreach (var m in new object[] { "x", "x", "fail", "x", "count" }) parent.Tell(("c", m));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { 1 }));
    }

    [Test]
    public void Stop_StopsTheFailedChild_AndLaterMessagesAreDeadLetters()
    {
        var deadLetters = Inbox.Create(system, "dead");
        system.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var parent = Parent(SupervisorStrategy.Stopping, ("c", Recording(recorder, "")));
        foreach (var m in new object[] { "fail", 1 }) parent.Tell(("c", m));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "PreStart", "PostStop" }));
        var letter = deadLetters.OfType<DeadLetter>().Single();
        Assert.That(letter.Message, Is.EqualTo(1));
        Assert.That(letter.Recipient.Path.Elements, Is.EqualTo("/user/parent/c"));
        Assert.That(letter.Reason, Does.Contain("stopped"));
    }

    [Test]
    public void Escalate_RestartsTheParent_WhichStopsAndRecreatesItsChildren()
    {
        var child = Props.Create(() => new RecordingActor(recorder, "c:"));
        var escalating = Props.Create(() => new ParentActor(new OneForOneStrategy(_ => Directive.Escalate), ("c", child)));
        var grandparent = system.ActorOf(Props.Create(() => new ParentActor(SupervisorStrategy.Default, ("p", escalating))), "gp");
        system.RunUntilIdle();
        recorder.Clear();
        grandparent.Tell(("p", (object)("c", (object)"fail")));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "c:PostStop", "c:PreStart" }),
            "the escalated failure restarted p, whose default PreRestart stopped c and whose constructor made a new c");
    }

    [Test]
    public void AllForOne_RestartsEverySibling()
    {
        var parent = Parent(new AllForOneStrategy(SupervisorStrategy.DefaultDecider),
            ("a", Recording(recorder, "a:")), ("b", Recording(recorder, "b:")));
        system.RunUntilIdle();
        recorder.Clear();
        parent.Tell(("a", (object)"fail"));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[]
        {
            "a:PreRestart(fail)", "a:PostStop", "a:PostRestart", "a:PreStart",
            "b:PreRestart()", "b:PostStop", "b:PostRestart", "b:PreStart",
        }));
    }

    [Test]
    public void RestartLimit_StopsTheChild_OnceExceededWithinTheWindow()
    {
        var parent = Parent(new OneForOneStrategy(2, TimeSpan.FromSeconds(10), SupervisorStrategy.DefaultDecider), ("c", Recording(recorder, "")));
        for (var i = 0; i < 3; i++) parent.Tell(("c", (object)"fail"));
        parent.Tell(("c", (object)"after"));
        system.RunUntilIdle();
        Assert.That(recorder.Messages.Count(m => (string)m == "PostRestart"), Is.EqualTo(2));
        Assert.That(recorder.Messages.Last(), Is.EqualTo("PostStop"));
        Assert.That(recorder.Messages, Does.Not.Contain("after"));
    }

    [Test]
    public void RestartLimit_CountsAfresh_InANewWindow()
    {
        var parent = Parent(new OneForOneStrategy(1, TimeSpan.FromSeconds(1), SupervisorStrategy.DefaultDecider), ("c", Recording(recorder, "")));
        parent.Tell(("c", (object)"fail"));
        system.RunUntil(TimeSpan.FromSeconds(5));
        parent.Tell(("c", (object)"fail"));
        parent.Tell(("c", (object)"still here"));
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Does.Contain("still here"));
    }

    [Test]
    public void ConstructorFailure_IsReportedWithThePath_AndTheActorStops()
    {
        var errors = Inbox.Create(system, "errors");
        system.EventStream.Subscribe(errors, typeof(Error));
        var broken = system.ActorOf(Props.Create(() => new ThrowingConstructorActor()), "broken");
        system.ActorOf(Props.Create(() => new WatcherActor(broken, recorder)), "watcher");
        system.RunUntilIdle();
        var error = errors.OfType<Error>().Single();
        Assert.That(error.Source.Elements, Is.EqualTo("/user/broken"));
        Assert.That(error.Cause, Is.TypeOf<ActorInitializationException>());
        Assert.That(error.Cause.Message, Does.Contain("/user/broken").And.Contain("the constructor refuses"));
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "Terminated broken at 0ms" }));
    }

    [Test]
    public void Kill_FailsTheActor_AndTheDefaultStrategyStopsIt()
    {
        var actor = system.ActorOf(Recording(recorder, ""), "victim");
        actor.Tell(Kill.Instance);
        actor.Tell("late");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "PreStart", "PostStop" }));
    }
}
