using System.Diagnostics;
using Migration.Scenarios;
using Migration.Scenarios.Model;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Simulation.Bench;

/// <summary>
/// `bench sim`: (a) simgrid-200, the published simulator's live-migration workload; (b) the
/// datacenter scenario at 32, 64 and 128 hosts (domains, devices and migrations scale with hosts).
/// Each is one plain run (no journal, no counterfactual runs) under today's policy (has-devices),
/// repeated; the fastest repetition is reported. Virtual seconds are the time the last migration ended.
/// </summary>
public static class SimBenchmarks
{
    /// <summary>Repetitions at least; more run until <see cref="MeasuredSecondsMin"/> of wall time were measured.</summary>
    public const int Repetitions = 3;

    public const int RepetitionsMax = 50;

    public const double MeasuredSecondsMin = 2.0;

    public static readonly int[] DatacenterHosts = [32, 64, 128];

    /// <summary>Runs each benchmark (tiny sizes when <paramref name="quick"/>), reporting each as it finishes.</summary>
    public static IEnumerable<SimBenchResult> Run(bool quick, Action<string>? progress = null)
    {
        var simgrid = quick ? Generated("simgrid-quick", "{ kind: simgrid, hosts: 8, domains: 8 }") : ScenarioCatalog.LoadBuiltIn("simgrid-200");
        yield return Measure(quick ? "simgrid-quick" : "simgrid-200", simgrid, quick ? 1 : Repetitions, progress);
        foreach (var hosts in quick ? [4, 8] : DatacenterHosts)
        {
            var scenario = Generated($"datacenter-{hosts}", $"{{ kind: datacenter, hosts: {hosts} }}");
            yield return Measure($"datacenter-{hosts}", scenario, quick ? 1 : Repetitions, progress);
        }
    }

    public static Scenario Generated(string name, string generator) =>
        ScenarioLoader.Load($"name: {name}\ngenerator: {generator}\n", name + ".yaml");

    private static SimBenchResult Measure(string name, Scenario scenario, int repetitions, Action<string>? progress)
    {
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 1 };
        var best = double.MaxValue;
        double virtualSeconds = 0;
        double measured = 0;
        // A warm-up run first: the first execution of a scenario pays for compiling the code it runs.
        Simulator.Execute(scenario, options);
        for (var i = 0; i < repetitions || (repetitions > 1 && measured < MeasuredSecondsMin && i < RepetitionsMax); i++)
        {
            var clock = Stopwatch.StartNew();
            var report = Simulator.Execute(scenario, options);
            var wall = clock.Elapsed.TotalSeconds;
            if (i > 0 && report.VirtualSeconds != virtualSeconds)
                throw new InvalidOperationException($"{name}: repetition {i + 1} simulated {report.VirtualSeconds} s, the first {virtualSeconds} s (determinism broken)");
            virtualSeconds = report.VirtualSeconds;
            best = Math.Min(best, wall);
            measured += wall;
            progress?.Invoke($"bench sim: {name} repetition {i + 1}: {virtualSeconds:F1} virtual s in {wall:F3} wall s");
        }
        return new SimBenchResult(name, scenario.Hosts.Count, virtualSeconds, best);
    }
}
