using Migration.Actors.Supervision;

namespace Migration.Actors;

/// <summary>The recipe for an actor: how to construct it, and how it supervises its children.</summary>
public abstract class Props
{
    private protected Props(Type actorType, SupervisorStrategy? supervisorStrategy)
    {
        ActorType = actorType;
        SupervisorStrategy = supervisorStrategy;
    }

    public Type ActorType { get; }

    /// <summary>Overrides the actor's own <see cref="ActorBase.SupervisorStrategy"/> when set.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Builds the actor (at its creation and at every restart).</summary>
    internal abstract ActorBase NewActor();

    /// <summary>An actor built by <paramref name="factory"/>, called again on every restart.</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new FromFactory<TActor>(factory, null);
    }

    /// <summary>
    /// An actor built by <paramref name="factory"/> from <paramref name="arguments"/>, called again on
    /// every restart. With a static lambda and a value tuple of arguments, the recipe is one object,
    /// where a capturing lambda costs a closure and a delegate as well: worth it for actors created by
    /// the thousand.
    /// </summary>
    public static Props Create<TActor, TArguments>(Func<TArguments, TActor> factory, TArguments arguments) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new FromArguments<TActor, TArguments>(factory, arguments, null);
    }

    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new FromFactory<TActor>(static () => new TActor(), null);

    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return With(strategy);
    }

    private protected abstract Props With(SupervisorStrategy strategy);

    public override string ToString() => $"Props({ActorType.Name})";

    private sealed class FromFactory<TActor>(Func<TActor> factory, SupervisorStrategy? strategy)
        : Props(typeof(TActor), strategy) where TActor : ActorBase
    {
        internal override ActorBase NewActor() => factory();

        private protected override Props With(SupervisorStrategy strategy) => new FromFactory<TActor>(factory, strategy);
    }

    private sealed class FromArguments<TActor, TArguments>(Func<TArguments, TActor> factory, TArguments arguments, SupervisorStrategy? strategy)
        : Props(typeof(TActor), strategy) where TActor : ActorBase
    {
        internal override ActorBase NewActor() => factory(arguments);

        private protected override Props With(SupervisorStrategy strategy) => new FromArguments<TActor, TArguments>(factory, arguments, strategy);
    }
}
