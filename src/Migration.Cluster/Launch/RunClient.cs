using Akka.Actor;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Launch;

/// <summary>
/// The launcher's end of a run: sends the request to the coordinator, again every
/// <see cref="ResendInterval"/> until the coordinator answers (a message to a singleton that is
/// still starting, or moving, can be lost), and hands back its progress and its answer. The
/// request's id makes a resend the same request.
/// </summary>
internal sealed class RunClient : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(2);

    private sealed record Resend;

    public RunClient(ICanTell coordinator, StartRun start, Action<RunProgress> progress, TaskCompletionSource<object> answer)
    {
        Receive<RunProgress>(p =>
        {
            Timers.Cancel("resend");
            progress(p);
        });
        Receive<RunDone>(done => answer.TrySetResult(done));
        Receive<RunFailed>(failed => answer.TrySetResult(failed));
        Receive<Resend>(_ => coordinator.Tell(start, Self));
        coordinator.Tell(start, Self);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("resend", new Resend(), ResendInterval);
}
