namespace Migration.Xen.Memory;

/// <summary>How much CPU time a running vCPU has had by a given moment (ticks of CPU, not of the wall).</summary>
public interface ICpuClock
{
    /// <summary>CPU ticks a vCPU that ran all along would have had by <paramref name="nowTicks"/>.</summary>
    double At(long nowTicks);
}

/// <summary>Every vCPU has a CPU of its own: CPU time is virtual time.</summary>
public sealed class DedicatedCpus : ICpuClock
{
    public static DedicatedCpus Instance { get; } = new();

    public double At(long nowTicks) => nowTicks;
}

/// <summary>
/// A host's physical CPUs shared by its running vCPUs, each an equal share, as Xen's credit
/// scheduler gives vCPUs of equal weight (and SimGrid shares a host's cores among its VMs): with
/// more running vCPUs than CPUs each gets CPUs / vCPUs of one. The clock is the integral of that
/// share over time, brought up to date only when the count changes, never by stepping time.
/// </summary>
public sealed class SharedCpus : ICpuClock
{
    private double atSince;
    private long sinceTicks;

    public SharedCpus(int cpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        Cpus = cpus;
    }

    public int Cpus { get; }

    /// <summary>The vCPUs of the host's running domains.</summary>
    public int RunningVcpus { get; private set; }

    /// <summary>The share of a CPU each running vCPU gets now, in (0, 1].</summary>
    public double Share { get; private set; } = 1;

    public double At(long nowTicks)
    {
        if (nowTicks < sinceTicks) throw new ArgumentOutOfRangeException(nameof(nowTicks), nowTicks, $"before the last change at {sinceTicks}");
        return atSince + (nowTicks - sinceTicks) * Share;
    }

    /// <summary><paramref name="vcpus"/> more vCPUs run from <paramref name="nowTicks"/> on (fewer if negative: a domain paused or went).</summary>
    public void Add(long nowTicks, int vcpus)
    {
        var running = RunningVcpus + vcpus;
        if (running < 0) throw new InvalidOperationException($"{RunningVcpus} vCPUs run: {-vcpus} cannot stop");
        atSince = At(nowTicks);
        sinceTicks = nowTicks;
        RunningVcpus = running;
        Share = running <= Cpus ? 1 : (double)Cpus / running;
    }
}
