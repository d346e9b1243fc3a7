using Migration.Actors.Dispatch;

namespace Migration.Actors.Ask;

/// <summary>
/// The temporary recipient of an Ask: completes the task with the first reply of type
/// <typeparamref name="T"/>, or fails it at the timeout (virtual time). Continuations run inline
/// on the scheduler, in delivery order, so awaiting code stays deterministic.
/// </summary>
internal sealed class PromiseActorRef<T> : InternalActorRef
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.None);
    private readonly IActorRef target;
    private readonly TimeSpan timeout;

    public PromiseActorRef(ActorSystem system, ActorPath path, IActorRef target, TimeSpan timeout)
        : base(system, path)
    {
        this.target = target;
        this.timeout = timeout;
    }

    public Task<T> Task => completion.Task;

    internal override void Deliver(in Envelope envelope, HostScheduler scheduler)
    {
        if (completion.Task.IsCompleted)
        {
            if (envelope.Kind == EnvelopeKind.User)
                System.PublishDeadLetter(new DeadLetter(envelope.Message, envelope.Sender ?? System.DeadLettersOn(Host), this,
                    $"the Ask to {target.Path} had already {(completion.Task.IsFaulted ? "timed out" : "been answered")}"));
            return;
        }
        switch (envelope.Message)
        {
            case AskTimeout when envelope.Kind == EnvelopeKind.System:
                completion.TrySetException(new AskTimeoutException(
                    $"Ask to {target.Path} got no reply within {timeout} of virtual time (at {envelope.Time})"));
                break;
            case Watch or Unwatch or DeathWatchNotification when envelope.Kind == EnvelopeKind.System:
                break;
            case T reply:
                completion.TrySetResult(reply);
                break;
            case Status.Failure failure:
                completion.TrySetException(failure.Cause);
                break;
            default:
                completion.TrySetException(new InvalidCastException(
                    $"Ask to {target.Path} expected a {typeof(T).Name} reply but got {envelope.Message.GetType().Name}"));
                break;
        }
    }
}
