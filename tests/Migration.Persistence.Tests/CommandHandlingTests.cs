using Migration.Actors;

namespace Migration.Persistence.Tests;

/// <summary>How a persistent actor handles commands and runs the handlers of what it persisted (no journal needed).</summary>
public class CommandHandlingTests
{
    [Test]
    public void PersistedHandlers_RunAfterTheCommand_InOrder_WithNestedPersistsLast()
    {
        var system = ActorSystem.Create("commands");
        var recorder = Inbox.Create(system, "recorder");
        var actor = system.ActorOf(Props.Create(() => new ChainActor(recorder)), "chain");
        actor.Tell("chain");
        actor.Tell("chain");
        system.RunUntilIdle();
        var once = new object[] { "command done", "a", "b", "c" };
        Assert.That(recorder.Messages, Is.EqualTo(once.Concat(once)), "a's handler persisted c, which waits behind b");
        Assert.That(system.ErrorCount, Is.Zero);
    }

    [Test]
    public void OnCommand_IsTriedFirst_AndWhatItDeclinesGoesToTheRegisteredHandlers()
    {
        var system = ActorSystem.Create("commands");
        var recorder = Inbox.Create(system, "recorder");
        var actor = system.ActorOf(Props.Create(() => new ChainActor(recorder)), "chain");
        actor.Tell(7);
        actor.Tell("other");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "switch 7", "persisted 7", "registered other" }));
    }

    [Test]
    public void AFailedCommand_LeavesNoHandlerWaitingForTheNextOne()
    {
        var system = ActorSystem.Create("commands");
        var recorder = Inbox.Create(system, "recorder");
        var actor = system.ActorOf(Props.Create(() => new ChainActor(recorder)), "chain");
        actor.Tell("fail-in-handler");
        actor.Tell(1);
        system.RunUntilIdle();
        Assert.That(system.ErrorCount, Is.EqualTo(1));
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "switch 1", "persisted 1" }), "the failed command's second handler never ran");
    }

    [Test]
    public void WhatPreStartPersists_IsHandledBeforeAnyMessage()
    {
        var system = ActorSystem.Create("commands");
        var recorder = Inbox.Create(system, "recorder");
        var actor = system.ActorOf(Props.Create(static r => new StartingActor(r), (IActorRef)recorder), "starting");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "started handled" }), "no message came, yet the handler ran");
        actor.Tell("hello");
        system.RunUntilIdle();
        Assert.That(recorder.Messages, Is.EqualTo(new object[] { "started handled", "hello" }), "and it ran once");
    }

    private sealed class StartingActor : ReceivePersistentActor
    {
        private readonly IActorRef recorder;

        public StartingActor(IActorRef recorder)
        {
            this.recorder = recorder;
            Command<string>(text => recorder.Tell(text));
        }

        public override string PersistenceId => "starting";

        protected override void PreStart()
        {
            base.PreStart();
            Persist("started", e => recorder.Tell($"{e} handled"));
        }
    }

    private sealed class ChainActor : ReceivePersistentActor
    {
        private readonly IActorRef recorder;

        public ChainActor(IActorRef recorder)
        {
            this.recorder = recorder;
            Command<string>(s => s == "chain", _ => OnChain());
            Command<string>(s => s == "fail-in-handler", _ => OnFailInHandler());
            Command<string>(s => recorder.Tell($"registered {s}"));
        }

        public override string PersistenceId => "chain";

        protected override bool OnCommand(object message)
        {
            if (message is not int number) return false;
            recorder.Tell($"switch {number}");
            Persist(number, n => recorder.Tell($"persisted {n}"));
            return true;
        }

        private void OnChain()
        {
            Persist("a", a =>
            {
                recorder.Tell(a);
                Persist("c", c => recorder.Tell(c));
            });
            Persist("b", b => recorder.Tell(b));
            recorder.Tell("command done");
        }

        private void OnFailInHandler()
        {
            Persist("x", _ => throw new InvalidOperationException("handler fails"));
            Persist("y", y => recorder.Tell(y));
        }
    }
}
