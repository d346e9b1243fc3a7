namespace Migration.Benchmarks;

/// <summary>The baseline's priority: the engine's (time, origin host, origin sequence) order.</summary>
internal readonly record struct BaselineKey(long TimeTicks, int OriginHost, long OriginSeq) : IComparable<BaselineKey>
{
    public int CompareTo(BaselineKey other)
    {
        var byTime = TimeTicks.CompareTo(other.TimeTicks);
        if (byTime != 0) return byTime;
        var byHost = OriginHost.CompareTo(other.OriginHost);
        return byHost != 0 ? byHost : OriginSeq.CompareTo(other.OriginSeq);
    }
}
