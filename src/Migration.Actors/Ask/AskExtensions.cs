using Migration.Actors.Dispatch;

namespace Migration.Actors.Ask;

public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> and returns a task completed by the reply, or failed with
    /// <see cref="AskTimeoutException"/> once <paramref name="timeout"/> of virtual time has passed.
    /// The task completes only while the system runs.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (target is not InternalActorRef recipient) throw new ArgumentException($"{target.Path} is not an actor of this system", nameof(target));
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "an Ask needs a positive timeout");
        var system = recipient.System;
        var current = system.Running;
        // The promise lives on the asker's host (the target's host for a call from outside a run).
        var host = current?.CurrentCell?.Host ?? recipient.Host;
        var scheduler = current ?? system.SchedulerFor(host);
        var id = scheduler.NextTempId(host);
        var path = ActorPath.Root(system.Name, host).Child("temp").Child("$" + id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var promise = new PromiseActorRef<T>(system, path, target, timeout);
        recipient.Tell(message, promise);
        promise.Post(AskTimeout.Instance, null, EnvelopeKind.System, timeout.Ticks);
        return promise.Task;
    }

    /// <summary>When <paramref name="task"/> completes, tells its result (or a <see cref="Status.Failure"/>) to <paramref name="recipient"/>.</summary>
    public static void PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        task.ContinueWith(
            completed => recipient.Tell(
                completed.IsCompletedSuccessfully ? completed.Result! : new Status.Failure(completed.Exception?.GetBaseException() ?? new TaskCanceledException()),
                sender),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
