namespace Migration.Xen.Iommu;

/// <summary>
/// When a domain's periodic operations happen: the k-th (from 1) at start + k / rate, unless each
/// one holds its issuer longer than the period (a balloon page whose Device-TLB flush is waited
/// for): then one follows the other, the k-th at start + 1 / rate + (k - 1) x hold. Computed by
/// formula both ways (the time of an op, the ops by a time), so nothing is stepped.
/// </summary>
public readonly record struct OpSchedule
{
    public OpSchedule(long startTicks, double perSecond, long holdTicks = 0)
    {
        if (!(perSecond >= 0 && double.IsFinite(perSecond))) throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "a rate is 0 or more");
        ArgumentOutOfRangeException.ThrowIfNegative(holdTicks);
        StartTicks = startTicks;
        PerSecond = perSecond;
        HoldTicks = holdTicks;
    }

    public long StartTicks { get; }

    public double PerSecond { get; }

    /// <summary>How long each op keeps its issuer from the next (0: not at all).</summary>
    public long HoldTicks { get; }

    private double PeriodTicks => TimeSpan.TicksPerSecond / PerSecond;

    // The period governs unless the hold is longer; then ops follow one another.
    private bool Held => HoldTicks > PeriodTicks;

    /// <summary>When op <paramref name="op"/> (from 1) happens; long.MaxValue (never) when that is past the end of time or the rate is 0.</summary>
    public long OpTicks(long op)
    {
        if (PerSecond <= 0) return long.MaxValue;
        // The same expression as before holds existed when none applies, so those times are unchanged to the tick.
        var offset = Held ? PeriodTicks + (op - 1) * (double)HoldTicks : op * (double)TimeSpan.TicksPerSecond / PerSecond;
        return offset >= (double)(long.MaxValue - StartTicks) ? long.MaxValue : StartTicks + (long)offset;
    }

    /// <summary>Ops that happened at or before <paramref name="ticks"/>.</summary>
    // An estimate from the inverse formula, then corrected by a step either way where rounding put it off.
    public long OpsBy(long ticks)
    {
        if (PerSecond <= 0 || ticks < StartTicks) return 0;
        var elapsed = (double)(ticks - StartTicks);
        var estimate = Held ? (elapsed - PeriodTicks) / HoldTicks + 1 : elapsed * PerSecond / TimeSpan.TicksPerSecond;
        var ops = (long)Math.Clamp(estimate, 0, long.MaxValue / 4);
        while (ops > 0 && OpTicks(ops) > ticks) ops--;
        // OpTicks saturates at long.MaxValue (never): such an op does not happen, even by the end of time.
        while (OpTicks(ops + 1) is var next && next != long.MaxValue && next <= ticks) ops++;
        return ops;
    }
}
