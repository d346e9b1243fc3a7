namespace Migration.Actors.Supervision;

/// <summary>The directive applies to the failed child and all its siblings (for children that only make sense together).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    public AllForOneStrategy(int restartsMax, TimeSpan? window, Func<Exception, Directive> decider)
        : base(restartsMax, window, decider)
    {
    }

    public AllForOneStrategy(Func<Exception, Directive> decider)
        : base(-1, null, decider)
    {
    }

    internal override bool AppliesToAllChildren => true;
}
