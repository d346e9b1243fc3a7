using System.Diagnostics;
using System.Globalization;
using Migration.Scenarios;
using Migration.Scenarios.Model;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Simulation.Bench;

/// <summary>
/// `bench sim`: (a) simgrid-200, the published simulator's live-migration workload, and simgrid-2000
/// (the same generator with 2,000 domains); (b) the
/// datacenter scenario at 32, 64 and 128 hosts (domains, devices, migrations and migrated memory
/// scale with hosts). Each is a plain run (no journal, no counterfactual runs) under today's policy
/// (has-devices), timed in batches of back-to-back runs; the fastest batch's time per run is reported
/// (the median goes to the progress line). Virtual seconds are the time the last migration ended.
/// </summary>
/// <remarks>
/// The datacenter sizes are compared with each other, so their batches are interleaved: each round
/// runs one batch of every size, and a slow spell of the machine slows all sizes alike instead of
/// whichever was measuring then. The progress lines also give each doubling's cost as the median,
/// over rounds, of that round's ratio.
/// </remarks>
public static class SimBenchmarks
{
    /// <summary>Batches per benchmark at least; more run until <see cref="MeasuredSecondsMin"/> of wall time were measured for each.</summary>
    public const int Repetitions = 5;

    public const int RepetitionsMax = 50;

    public const double MeasuredSecondsMin = 3.0;

    /// <summary>A batch runs the scenario for at least this long (at most <see cref="BatchRunsMax"/> runs).</summary>
    public const double BatchSecondsMin = 0.25;

    public const int BatchRunsMax = 1000;

    /// <summary>Runs before timing starts: the first executions of a scenario pay for compiling the code it runs.</summary>
    public const int WarmUpRuns = 3;

    public static readonly int[] DatacenterHosts = [32, 64, 128];

    /// <summary>Runs each benchmark (tiny sizes when <paramref name="quick"/>), reporting each as it finishes.</summary>
    public static IEnumerable<SimBenchResult> Run(bool quick, Action<string>? progress = null)
    {
        var simgrid = quick ? Generated("simgrid-quick", "{ kind: simgrid, hosts: 8, domains: 8 }") : ScenarioCatalog.LoadBuiltIn("simgrid-200");
        yield return Measure([new Subject(quick ? "simgrid-quick" : "simgrid-200", simgrid)], quick, progress)[0];
        // Ten times the domains on the same 64 hosts: what the workload's size costs (SimGrid: about 50 times).
        if (!quick) yield return Measure([new Subject("simgrid-2000", Generated("simgrid-2000", "{ kind: simgrid, hosts: 64, domains: 2000 }"))], quick, progress)[0];
        var datacenters = (quick ? [4, 8] : DatacenterHosts)
            .Select(hosts => new Subject($"datacenter-{hosts}", Generated($"datacenter-{hosts}", $"{{ kind: datacenter, hosts: {hosts} }}")))
            .ToArray();
        foreach (var result in Measure(datacenters, quick, progress)) yield return result;
    }

    public static Scenario Generated(string name, string generator) =>
        ScenarioLoader.Load($"name: {name}\ngenerator: {generator}\n", name + ".yaml");

    private sealed class Subject(string name, Scenario scenario)
    {
        public string Name { get; } = name;
        public Scenario Scenario { get; } = scenario;
        public double VirtualSeconds { get; set; }
        public int Batch { get; set; } = 1;
        public List<double> PerRunSeconds { get; } = new();
        public double MeasuredSeconds { get; set; }
    }

    private static readonly RunOptions Options = new() { Policy = VetoPolicy.HasDevices, Seed = 1 };

    /// <summary>Times <paramref name="subjects"/> in interleaved rounds of one batch each.</summary>
    private static SimBenchResult[] Measure(Subject[] subjects, bool quick, Action<string>? progress)
    {
        var clock = new Stopwatch();
        foreach (var subject in subjects)
        {
            subject.VirtualSeconds = Simulator.Execute(subject.Scenario, Options).VirtualSeconds;
            if (quick) continue;
            for (var i = 1; i < WarmUpRuns; i++) RunChecked(subject);
            // Runs of a few milliseconds are timed in batches long enough for the clock and the collector
            // to average out (each batch pays for its garbage); a batch's figure is its time per run.
            clock.Restart();
            RunChecked(subject);
            subject.Batch = (int)Math.Clamp(Math.Ceiling(BatchSecondsMin / Math.Max(clock.Elapsed.TotalSeconds, 1e-6)), 1, BatchRunsMax);
        }
        for (var round = 0; round < RepetitionsMax; round++)
        {
            foreach (var subject in subjects)
            {
                clock.Restart();
                for (var run = 0; run < subject.Batch; run++) RunChecked(subject);
                subject.PerRunSeconds.Add(clock.Elapsed.TotalSeconds / subject.Batch);
                subject.MeasuredSeconds += clock.Elapsed.TotalSeconds;
            }
            if (quick) break;
            if (round + 1 >= Repetitions && subjects.All(s => s.MeasuredSeconds >= MeasuredSecondsMin)) break;
        }
        foreach (var subject in subjects)
        {
            var sorted = subject.PerRunSeconds.Order().ToArray();
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"bench sim: {subject.Name}: {subject.VirtualSeconds:F1} virtual s; {sorted.Length} batches of {subject.Batch} runs, wall s per run best {sorted[0]:F4}, median {sorted[sorted.Length / 2]:F4}"));
        }
        for (var i = 1; i < subjects.Length; i++)
        {
            var (smaller, larger) = (subjects[i - 1], subjects[i]);
            var ratios = larger.PerRunSeconds.Zip(smaller.PerRunSeconds, (l, s) => l / s).Order().ToArray();
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"bench sim: {larger.Name} costs {larger.PerRunSeconds.Min() / smaller.PerRunSeconds.Min():F2}x {smaller.Name} (best batches); median of the rounds' ratios {ratios[ratios.Length / 2]:F2}x"));
        }
        return subjects.Select(s => new SimBenchResult(s.Name, s.Scenario.Hosts.Count, s.VirtualSeconds, s.PerRunSeconds.Min())).ToArray();
    }

    private static void RunChecked(Subject subject)
    {
        var report = Simulator.Execute(subject.Scenario, Options);
        if (report.VirtualSeconds != subject.VirtualSeconds)
            throw new InvalidOperationException($"{subject.Name}: a run simulated {report.VirtualSeconds} s, the first {subject.VirtualSeconds} s (determinism broken)");
    }
}
