using System.Diagnostics;
using Migration.Scenarios;
using Migration.Scenarios.Model;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Simulation.Bench;

/// <summary>
/// `bench sim`: (a) simgrid-200, the published simulator's live-migration workload; (b) the
/// datacenter scenario at 32, 64 and 128 hosts (domains, devices and migrations scale with hosts).
/// Each is a plain run (no journal, no counterfactual runs) under today's policy (has-devices), timed in
/// batches of back-to-back runs; the fastest batch's time per run is reported (the median goes to the
/// progress line). Virtual seconds are the time the last migration ended.
/// </summary>
public static class SimBenchmarks
{
    /// <summary>Repetitions at least; more run until <see cref="MeasuredSecondsMin"/> of wall time were measured.</summary>
    public const int Repetitions = 5;

    public const int RepetitionsMax = 50;

    public const double MeasuredSecondsMin = 3.0;

    /// <summary>A batch runs the scenario for at least this long (at most <see cref="BatchRunsMax"/> runs).</summary>
    public const double BatchSecondsMin = 0.25;

    public const int BatchRunsMax = 1000;

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
        // A warm-up run first: the first execution of a scenario pays for compiling the code it runs.
        var clock = Stopwatch.StartNew();
        var virtualSeconds = Simulator.Execute(scenario, options).VirtualSeconds;
        // Runs of a few milliseconds are timed in batches long enough for the clock and the collector
        // to average out (each batch pays for its garbage); a repetition's figure is its time per run.
        var batch = repetitions == 1 ? 1 : (int)Math.Clamp(Math.Ceiling(BatchSecondsMin / Math.Max(clock.Elapsed.TotalSeconds, 1e-6)), 1, BatchRunsMax);
        var perRunSeconds = new List<double>();
        double measured = 0;
        for (var i = 0; i < repetitions || (measured < MeasuredSecondsMin && i < RepetitionsMax); i++)
        {
            clock.Restart();
            for (var run = 0; run < batch; run++)
            {
                var report = Simulator.Execute(scenario, options);
                if (report.VirtualSeconds != virtualSeconds)
                    throw new InvalidOperationException($"{name}: a run simulated {report.VirtualSeconds} s, the first {virtualSeconds} s (determinism broken)");
            }
            perRunSeconds.Add(clock.Elapsed.TotalSeconds / batch);
            measured += clock.Elapsed.TotalSeconds;
            if (repetitions == 1) break;
        }
        perRunSeconds.Sort();
        progress?.Invoke($"bench sim: {name}: {virtualSeconds:F1} virtual s; {perRunSeconds.Count} batches of {batch} runs, wall s per run best {perRunSeconds[0]:F4}, median {perRunSeconds[perRunSeconds.Count / 2]:F4}");
        return new SimBenchResult(name, scenario.Hosts.Count, virtualSeconds, perRunSeconds[0]);
    }
}
