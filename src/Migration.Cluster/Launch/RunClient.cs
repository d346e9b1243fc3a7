using Akka.Actor;
using Migration.Cluster.Wire;

namespace Migration.Cluster.Launch;

/// <summary>The launcher's end of a run: sends the request to the coordinator and hands back its progress and its answer.</summary>
internal sealed class RunClient : ReceiveActor
{
    public RunClient(ICanTell coordinator, StartRun start, Action<RunProgress> progress, TaskCompletionSource<object> answer)
    {
        Receive<RunProgress>(progress);
        Receive<RunDone>(done => answer.TrySetResult(done));
        Receive<RunFailed>(failed => answer.TrySetResult(failed));
        coordinator.Tell(start, Self);
    }
}
