using Migration.Actors.Dispatch;

namespace Migration.Actors.Tests;

/// <summary>The hooks the cluster drives: bounded windows, next-event time, injection, per-window outboxes.</summary>
public class SchedulerHookTests
{
    private static ActorSystem Windowed(int hosts = 2) => ActorSystem.Create("hooks", new ActorSystemSettings
    {
        Seed = 1,
        HostCount = hosts,
        Mode = ExecutionMode.Windowed,
        CrossHostLatency = TimeSpan.FromMilliseconds(10),
    });

    [Test]
    public void RunWindow_DeliversOnlyEventsBeforeItsEnd_AndReportsTheNextEventTime()
    {
        var system = Windowed();
        var inbox = Inbox.Create(system, "rec");
        system.ActorOf(Props.Create(() => new TimerActor(inbox, a => a.Periodic("p", "tick", TimeSpan.FromMilliseconds(4)))), "t");
        var host0 = system.Schedulers[0];
        host0.RunWindow(TimeSpan.FromMilliseconds(10).Ticks);
        Assert.That(inbox.Messages, Is.EqualTo(new object[] { "tick@4", "tick@8" }));
        Assert.That(host0.NextEventTicks, Is.EqualTo(TimeSpan.FromMilliseconds(12).Ticks));
        Assert.That(host0.BoundTicks, Is.EqualTo(TimeSpan.FromMilliseconds(10).Ticks));
    }

    [Test]
    public void CrossHostMessages_WaitInTheOutbox_UntilExchanged()
    {
        var system = Windowed();
        var inbox = Inbox.Create(system, "rec", host: 1);
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo", host: 0);
        echo.Tell(new Ping(3), inbox);
        var host0 = system.Schedulers[0];
        var host1 = system.Schedulers[1];
        host0.RunWindow(TimeSpan.FromMilliseconds(10).Ticks);
        host1.RunWindow(TimeSpan.FromMilliseconds(10).Ticks);
        Assert.That(host1.NextEventTicks, Is.Null, "the reply is still in host 0's outbox");
        var outbox = host0.TakeOutbox();
        Assert.That(outbox.Select(e => (e.Message, e.Time, e.OriginHost, e.Target)), Is.EqualTo(new[]
        {
            ((object)new Pong(3), TimeSpan.FromMilliseconds(10), 0, (IActorRef)inbox),
        }));
        foreach (var envelope in outbox) host1.Inject(envelope);
        host1.RunWindow(TimeSpan.FromMilliseconds(20).Ticks);
        Assert.That(inbox.Received.Single().At, Is.EqualTo(TimeSpan.FromMilliseconds(10)));
    }

    [Test]
    public void Inject_BeforeTheBound_IsAnInvariantViolation()
    {
        var system = Windowed();
        var inbox = Inbox.Create(system, "rec", host: 1);
        var host1 = system.Schedulers[1];
        host1.RunWindow(TimeSpan.FromMilliseconds(10).Ticks);
        var late = new Envelope(TimeSpan.FromMilliseconds(9).Ticks, 1, 0, EnvelopeKind.User, inbox, "late", null);
        var failure = Assert.Throws<InvariantViolationException>(() => host1.Inject(late));
        Assert.That(failure!.Message, Does.Contain("before the bound").And.Contain("lookahead"));
    }

    [Test]
    public void Inject_WithANonIncreasingSequence_IsAnInvariantViolation()
    {
        var system = Windowed();
        var inbox = Inbox.Create(system, "rec", host: 1);
        var host1 = system.Schedulers[1];
        host1.Inject(new Envelope(TimeSpan.FromMilliseconds(20).Ticks, 5, 0, EnvelopeKind.User, inbox, "a", null));
        var repeat = new Envelope(TimeSpan.FromMilliseconds(21).Ticks, 5, 0, EnvelopeKind.User, inbox, "b", null);
        var failure = Assert.Throws<InvariantViolationException>(() => host1.Inject(repeat));
        Assert.That(failure!.Message, Does.Contain("sequence"));
    }

    [Test]
    public void Inject_ForAnotherHost_IsRefused()
    {
        var system = Windowed();
        var inbox = Inbox.Create(system, "rec", host: 1);
        var envelope = new Envelope(TimeSpan.FromMilliseconds(20).Ticks, 1, 0, EnvelopeKind.User, inbox, "a", null);
        Assert.Throws<ArgumentException>(() => system.Schedulers[0].Inject(envelope));
    }

    [Test]
    public void InjectedMessages_AreDeliveredInKeyOrder_WhateverTheInjectionOrder()
    {
        var system = Windowed(hosts: 3);
        var inbox = Inbox.Create(system, "rec", host: 1);
        var host1 = system.Schedulers[1];
        var at = TimeSpan.FromMilliseconds(20).Ticks;
        host1.Inject(new Envelope(at, 1, 2, EnvelopeKind.User, inbox, "from host 2", null));
        host1.Inject(new Envelope(at, 1, 0, EnvelopeKind.User, inbox, "from host 0", null));
        host1.Inject(new Envelope(at - 1, 2, 2, EnvelopeKind.User, inbox, "earlier", null));
        host1.RunWindow(long.MaxValue);
        Assert.That(inbox.Messages, Is.EqualTo(new object[] { "earlier", "from host 0", "from host 2" }));
        host1.AssertInvariants();
    }

    [Test]
    public void SequentialRuns_AssertNoDeliveryBeforeNow()
    {
        var system = ActorSystem.Create("hooks", new ActorSystemSettings { Seed = 1 });
        var inbox = Inbox.Create(system, "rec");
        system.ActorOf(Props.Create(() => new TimerActor(inbox, a => a.Periodic("p", "tick", TimeSpan.FromMilliseconds(3)))), "t");
        system.RunUntil(TimeSpan.FromMilliseconds(30));
        Assert.Throws<ArgumentOutOfRangeException>(() => system.RunUntil(TimeSpan.FromMilliseconds(29)));
        system.Schedulers[0].AssertInvariants();
    }

    [Test]
    public void EventQueue_KeepsTotalOrder_UnderRandomPushesAndPops()
    {
        var random = new Util.DeterministicRandom(42);
        var system = ActorSystem.Create("q");
        var inbox = Inbox.Create(system, "rec");
        var queue = new EventQueue(1_000_000);
        long now = 0;
        var seqs = new long[4];
        Envelope? last = null;
        for (var step = 0; step < 20_000; step++)
        {
            if (queue.IsEmpty || random.NextBool(0.55))
            {
                // As in the scheduler: a delivery for the current instant comes from the host being
                // delivered to (so its key follows the last one popped); other hosts' take latency.
                var sameInstant = last is not null && random.NextBool(0.5);
                var host = sameInstant ? last!.Value.OriginHost : random.Next(4);
                var time = sameInstant ? now : now + 1 + random.Next(50);
                queue.Push(new Envelope(time, ++seqs[host], host, EnvelopeKind.User, inbox, step, null), now);
            }
            else
            {
                Assert.That(queue.TryPopBefore(long.MaxValue, out var popped), Is.True);
                if (last is { } previous)
                    Assert.That(Envelope.Precedes(previous, popped), Is.True, $"step {step}: {popped} after {previous}");
                now = popped.TimeTicks;
                last = popped;
            }
            if (step % 997 == 0) queue.AssertInvariants();
        }
    }
    [Test]
    public void EventQueue_PopsLikeASortedSet_WhateverLaneOrHeapEachDeliveryTook()
    {
        // Same-instant deliveries from any host (some in order, some a few places back, some far),
        // crossings one latency ahead from any host, and timers at random delays: every pop must be
        // the smallest pending key, as a sorted set says.
        const long latency = 7;
        var random = new Util.DeterministicRandom(11);
        var system = ActorSystem.Create("q");
        var inbox = Inbox.Create(system, "rec");
        var queue = new EventQueue(1_000_000);
        var reference = new SortedSet<(long Time, long OriginKey)>();
        long now = 0;
        var seqs = new long[6];
        for (var step = 0; step < 30_000; step++)
        {
            if (queue.IsEmpty || random.NextBool(0.55))
            {
                var host = random.Next(seqs.Length);
                var envelope = random.Next(3) switch
                {
                    0 => new Envelope(now, ++seqs[host], host, EnvelopeKind.User, inbox, step, null),
                    1 => new Envelope(now + latency, ++seqs[host], host, EnvelopeKind.User, inbox, step, null),
                    _ => new Envelope(now + 1 + random.Next(40), ++seqs[host], host, EnvelopeKind.User, inbox, step, null),
                };
                if (envelope.TimeTicks == now + latency) queue.PushCrossing(envelope);
                else queue.Push(envelope, now);
                reference.Add((envelope.TimeTicks, envelope.OriginKey));
            }
            else
            {
                Assert.That(queue.TryPopBefore(long.MaxValue, out var popped), Is.True);
                var expected = reference.Min;
                Assert.That((popped.TimeTicks, popped.OriginKey), Is.EqualTo(expected), $"step {step}: popped {popped}");
                reference.Remove(expected);
                now = popped.TimeTicks;
            }
            Assert.That(queue.Count, Is.EqualTo(reference.Count));
            if (step % 499 == 0) queue.AssertInvariants();
        }
    }
}
