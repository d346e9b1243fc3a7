using Migration.Actors.Behaviors;

namespace Migration.Actors;

/// <summary>
/// An actor whose behaviour is a list of typed handlers, registered in its constructor or in the
/// method passed to <see cref="Become"/>, as in Akka.NET's ReceiveActor.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private Stack<Behavior>? stacked;
    private Behavior current = Behavior.None;
    private Behavior? building;     // where handlers go: the constructor's behaviour, or a Become's while it builds
    private bool constructed;

    protected void Receive<T>(Action<T> handler) => Register(handler, null);

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        Register(handler, shouldHandle);
    }

    protected void ReceiveAny(Action<object> handler) => Register(handler, null);

    /// <summary>Replaces the behaviour with the handlers <paramref name="configure"/> registers, from the next message on.</summary>
    protected void Become(Action configure)
    {
        current = Build(configure);
        stacked?.Clear();
    }

    /// <summary>Like <see cref="Become"/>, keeping the old behaviour for <see cref="Unbecome"/>.</summary>
    protected void BecomeStacked(Action configure)
    {
        (stacked ??= new Stack<Behavior>()).Push(current);
        current = Build(configure);
    }

    /// <summary>Returns to the behaviour before the last <see cref="BecomeStacked"/>; does nothing if there is none.</summary>
    protected void Unbecome()
    {
        if (stacked is { Count: > 0 }) current = stacked.Pop();
    }

    /// <summary>Offers <paramref name="message"/> to the current behaviour's handlers.</summary>
    protected internal override bool Receive(object message) => current.TryHandle(message);

    internal override void AfterConstruction()
    {
        building = null;
        constructed = true;
    }

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

    private void Register<T>(Action<T> handler, Predicate<T>? shouldHandle)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (building is null)
        {
            if (constructed)
                throw new InvalidOperationException(
                    $"{GetType().Name} registered a handler outside its constructor or a Become; register handlers there");
            // The constructor's first handler creates its behaviour (an actor that registers none shares Behavior.None).
            building = new Behavior();
            if (ReferenceEquals(current, Behavior.None)) current = building;
        }
        building.Add(handler, shouldHandle);
    }
}
