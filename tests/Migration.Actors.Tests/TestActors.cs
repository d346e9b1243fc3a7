using Migration.Actors.Supervision;

namespace Migration.Actors.Tests;

// Small actors shared by the engine tests.

public sealed record Ping(int N);

public sealed record Pong(int N);

/// <summary>Replies Pong(n) to Ping(n); tells every other message to the recorder.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor(IActorRef? recorder = null)
    {
        Receive<Ping>(p => Sender.Tell(new Pong(p.N)));
        ReceiveAny(m => recorder?.Tell(m));
    }
}

/// <summary>Records every message (and lifecycle hook) it sees; throws on "fail", stops on "stop".</summary>
public sealed class RecordingActor : ReceiveActor
{
    private readonly IActorRef recorder;
    private readonly string label;

    public RecordingActor(IActorRef recorder, string label = "")
    {
        this.recorder = recorder;
        this.label = label;
        Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("asked to fail"));
        Receive<string>(s => s == "stop", _ => Context.Stop(Self));
        ReceiveAny(m => recorder.Tell($"{label}{m}"));
    }

    protected internal override void PreStart() => recorder.Tell($"{label}PreStart");

    protected internal override void PostStop() => recorder.Tell($"{label}PostStop");

    protected internal override void PreRestart(Exception reason, object? message)
    {
        recorder.Tell($"{label}PreRestart({message})");
        base.PreRestart(reason, message);
    }

    protected internal override void PostRestart(Exception reason)
    {
        recorder.Tell($"{label}PostRestart");
        base.PostRestart(reason);
    }
}

/// <summary>Counts messages; its count survives Resume but not Restart.</summary>
public sealed class CounterActor : ReceiveActor
{
    private int count;

    public CounterActor(IActorRef recorder)
    {
        Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("asked to fail"));
        Receive<string>(s => s == "count", _ => recorder.Tell(count));
        ReceiveAny(_ => count++);
    }
}

/// <summary>A parent that creates named children from props and supervises them with the given strategy.</summary>
public sealed class ParentActor : ReceiveActor
{
    private readonly SupervisorStrategy strategy;

    public ParentActor(SupervisorStrategy strategy, params (string Name, Props Props)[] children)
    {
        this.strategy = strategy;
        foreach (var (name, props) in children) Context.ActorOf(props, name);
        Receive<(string Child, object Message)>(m => Context.Child(m.Child)!.Forward(m.Message));
    }

    protected internal override SupervisorStrategy SupervisorStrategy() => strategy;
}

/// <summary>Watches a subject and reports its Terminated.</summary>
public sealed class WatcherActor : ReceiveActor
{
    public WatcherActor(IActorRef subject, IActorRef recorder)
    {
        Context.Watch(subject);
        Receive<Terminated>(t => recorder.Tell($"Terminated {t.ActorRef.Path.Name} at {Context.Now.TotalMilliseconds}ms"));
    }
}

public sealed class ThrowingConstructorActor : ReceiveActor
{
    public ThrowingConstructorActor() => throw new InvalidOperationException("the constructor refuses");
}

public sealed class SilentActor : ReceiveActor
{
    public SilentActor() => Receive<Ping>(_ => { });
}
