using Migration.Actors.Behaviors;

namespace Migration.Actors;

/// <summary>
/// An actor whose behaviour is a list of typed handlers, registered in its constructor or in the
/// method passed to <see cref="Become"/>, as in Akka.NET's ReceiveActor.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly Stack<Behavior> stacked = new();
    private Behavior current = new();
    private Behavior? building;

    protected ReceiveActor()
    {
        building = current;
    }

    protected void Receive<T>(Action<T> handler) => Register(new TypedHandler<T>(handler, null));

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) =>
        Register(new TypedHandler<T>(handler, shouldHandle));

    protected void ReceiveAny(Action<object> handler) => Register(new TypedHandler<object>(handler, null));

    /// <summary>Replaces the behaviour with the handlers <paramref name="configure"/> registers, from the next message on.</summary>
    protected void Become(Action configure)
    {
        current = Build(configure);
        stacked.Clear();
    }

    /// <summary>Like <see cref="Become"/>, keeping the old behaviour for <see cref="Unbecome"/>.</summary>
    protected void BecomeStacked(Action configure)
    {
        stacked.Push(current);
        current = Build(configure);
    }

    /// <summary>Returns to the behaviour before the last <see cref="BecomeStacked"/>; does nothing if there is none.</summary>
    protected void Unbecome()
    {
        if (stacked.Count > 0) current = stacked.Pop();
    }

    protected internal sealed override bool Receive(object message) => current.TryHandle(message);

    internal override void AfterConstruction() => building = null;

    private Behavior Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var previous = building;
        building = new Behavior();
        try
        {
            configure();
            return building;
        }
        finally
        {
            building = previous;
        }
    }

    private void Register(Handler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (building is null)
            throw new InvalidOperationException(
                $"{GetType().Name} registered a handler outside its constructor or a Become; register handlers there");
        building.Add(handler);
    }
}
