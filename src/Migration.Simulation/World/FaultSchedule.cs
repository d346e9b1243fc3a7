using Migration.Scenarios.Model;

namespace Migration.Simulation.World;

/// <summary>The scenario's injected faults as questions the toolstacks ask: is that host down, was that link up?</summary>
public sealed class FaultSchedule
{
    private readonly List<(int A, int B, long From, long To)> linkDowns = new();
    private readonly Dictionary<int, long> crashTicks = new();

    public FaultSchedule(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        foreach (var fault in scenario.Faults)
        {
            var host = scenario.HostIndexOf(fault.Host);
            var from = fault.At.Ticks;
            switch (fault.Kind)
            {
                case FaultKind.LinkDown:
                    var peer = scenario.HostIndexOf(fault.Peer!);
                    linkDowns.Add((Math.Min(host, peer), Math.Max(host, peer), from, fault.Duration is { } d ? from + d.Ticks : long.MaxValue));
                    break;
                case FaultKind.HostCrash:
                    crashTicks[host] = crashTicks.TryGetValue(host, out var earlier) ? Math.Min(earlier, from) : from;
                    break;
            }
        }
    }

    public bool IsCrashed(int host, long nowTicks) => crashTicks.TryGetValue(host, out var at) && nowTicks >= at;

    /// <summary>When <paramref name="host"/> crashes, or null.</summary>
    public long? CrashTicksOf(int host) => crashTicks.TryGetValue(host, out var at) ? at : null;

    /// <summary>Whether the link between two hosts was down at any moment of [<paramref name="fromTicks"/>, <paramref name="toTicks"/>].</summary>
    public bool LinkDownDuring(int a, int b, long fromTicks, long toTicks)
    {
        var (low, high) = (Math.Min(a, b), Math.Max(a, b));
        foreach (var (x, y, from, to) in linkDowns)
        {
            if (x == low && y == high && from <= toTicks && fromTicks < to) return true;
        }
        return false;
    }
}
