namespace Migration.Actors.Supervision;

/// <summary>The directive applies to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    public OneForOneStrategy(int restartsMax, TimeSpan? window, Func<Exception, Directive> decider)
        : base(restartsMax, window, decider)
    {
    }

    public OneForOneStrategy(Func<Exception, Directive> decider)
        : base(-1, null, decider)
    {
    }

    internal override bool AppliesToAllChildren => false;
}
