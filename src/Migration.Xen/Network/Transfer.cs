namespace Migration.Xen.Network;

/// <summary>
/// A stream's bytes on the way while its rate changes: what is left is brought up to date only
/// when the rate changes (never by stepping time), and the end follows from what is left and the
/// rate now.
/// </summary>
public sealed class Transfer
{
    private double bytesLeft;
    private long sinceTicks;

    public Transfer(long bytes, long startTicks, double bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        bytesLeft = bytes;
        sinceTicks = startTicks;
        Rate = Check(bytesPerSecond);
        EndTicks = End();
    }

    /// <summary>Bytes per second now.</summary>
    public double Rate { get; private set; }

    /// <summary>Bytes not yet sent at <paramref name="nowTicks"/>.</summary>
    public double BytesLeftAt(long nowTicks)
    {
        if (nowTicks < sinceTicks) throw new ArgumentOutOfRangeException(nameof(nowTicks), nowTicks, $"before the last change at {sinceTicks}");
        return Math.Max(0, bytesLeft - Rate * (nowTicks - sinceTicks) / TimeSpan.TicksPerSecond);
    }

    /// <summary>From <paramref name="nowTicks"/> on the stream goes at <paramref name="bytesPerSecond"/>.</summary>
    public void ChangeRate(long nowTicks, double bytesPerSecond)
    {
        bytesLeft = BytesLeftAt(nowTicks);
        sinceTicks = nowTicks;
        Rate = Check(bytesPerSecond);
        EndTicks = End();
    }

    /// <summary>When the last byte is sent at the rate now (rounded up to a whole tick); null while the rate is 0. Found when the rate changes, not each time it is asked.</summary>
    public long? EndTicks { get; private set; }

    private long? End() => bytesLeft <= 0 ? sinceTicks : Rate > 0 ? sinceTicks + (long)Math.Ceiling(bytesLeft * TimeSpan.TicksPerSecond / Rate) : null;

    private static double Check(double bytesPerSecond) =>
        bytesPerSecond >= 0 && !double.IsInfinity(bytesPerSecond)
            ? bytesPerSecond
            : throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "a rate must be finite and not negative");
}
