using Akka.Actor;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Launch;

/// <summary>
/// The launcher's end of a run: sends the request to the coordinator and hands back its progress
/// and its answer. While the coordinator is silent (it is still starting, or its node died and it
/// is moving to another) the request goes again every <see cref="ResendInterval"/>, each time
/// through the next node's singleton proxy; its id makes a resend the same request, so the
/// coordinator (the old one or its successor) answers there.
/// </summary>
internal sealed class RunClient : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(2);

    /// <summary>The coordinator reports every second while it works: this long without a word is silence.</summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<ICanTell> coordinators;
    private readonly StartRun start;
    private int next;
    private DateTime lastHeard = DateTime.MinValue;

    private sealed record Resend;

    public RunClient(IReadOnlyList<ICanTell> coordinators, StartRun start, Action<RunProgress> progress, TaskCompletionSource<object> answer)
    {
        this.coordinators = coordinators;
        this.start = start;
        Receive<RunProgress>(p =>
        {
            lastHeard = DateTime.UtcNow;
            progress(p);
        });
        Receive<RunDone>(done => answer.TrySetResult(done));
        Receive<RunFailed>(failed => answer.TrySetResult(failed));
        Receive<Resend>(_ =>
        {
            if (DateTime.UtcNow - lastHeard > SilenceLimit) Send();
        });
        Send();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("resend", new Resend(), ResendInterval);

    private void Send()
    {
        coordinators[next % coordinators.Count].Tell(start, Self);
        next++;
    }
}
