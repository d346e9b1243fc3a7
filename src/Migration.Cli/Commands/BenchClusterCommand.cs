using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Migration.Cli.Arguments;
using Migration.Cli.Experiments;
using Migration.Cli.Output;
using Migration.Cluster.Configuration;
using Migration.Cluster.Launch;
using Migration.Cluster.Runs;
using Migration.Cluster.Wire;
using Migration.Scenarios;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Policies;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration bench cluster [--json] [--quick]`: what running across node processes costs, beside
/// what the transport allows, in one run: Akka.Remote round trips per second between two node
/// processes; `datacenter` in one process and on 2, 3 and 4 nodes (wall seconds, windows,
/// cross-node messages, and windows per second over round trips per second as the ratio); an
/// experiment on one core, on all cores and on a 2-node cluster (the ratio: the speed-up over one
/// core). Node processes are started on free loopback ports in a temporary directory and leave at
/// the end.
/// </summary>
internal static class BenchClusterCommand
{
    private const string Scenario = "datacenter";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per benchmark (name, nodes, wallSeconds, windows, crossNodeMessages, ratio) instead of a table.",
        };
        var quick = new Option<bool>("--quick") { Description = "Fewer round trips, one node count, 2 seeds: a smoke check, not a measurement." };
        var command = new Command("cluster",
            "Across node processes: Akka.Remote round trips per second; datacenter in one process and on 2, 3, 4 nodes; an experiment on one core, all cores and 2 nodes.")
        {
            json, quick,
        };
        command.SetAction(parse =>
        {
            var results = new List<Result>();
            void Report(Result result)
            {
                results.Add(result);
                if (parse.GetValue(json)) output.WriteLine(ToJson(result));
            }
            Run(parse.GetValue(quick), Report, error);
            if (!parse.GetValue(json)) WriteTable(output, results);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <param name="Ratio">Round trips: none. A cluster run: windows per second over round trips per second. An experiment: one core's wall time over this one's.</param>
    internal sealed record Result(string Name, int Nodes, double WallSeconds, long Windows, long CrossNodeMessages, double? Ratio, string Note);

    private static void Run(bool quick, Action<Result> report, TextWriter error)
    {
        var source = new ScenarioText(ScenarioCatalog.LoadBuiltIn(Scenario), ScenarioCatalog.BuiltInText(Scenario));
        var options = new RunOptions { Policy = SimulationOptions.DefaultPolicy, Seed = 1 };
        var start = RunWire.Start(source, Scenario, builtIn: true, options);
        var plan = new ExperimentPlan(source, Enum.GetValues<VetoPolicy>(), quick ? [1, 2] : Enumerable.Range(1, 20).Select(s => (ulong)s).ToArray(), new RunOptions());
        var repetitions = quick ? 1 : 3;
        var directory = Directory.CreateTempSubdirectory("migration-bench-cluster-").FullName;
        try
        {
            // datacenter in this process: the figure the clusters are compared with.
            Simulator.Run(source, options);   // warm-up
            var alone = Best(repetitions, () => Simulator.Run(source, options));
            report(new Result($"{Scenario}-one-process", 1, alone, 0, 0, null, "the same run in this process, no windows"));

            double roundTripsPerSecond = 0;
            IReadOnlyList<RunReport>? experimentOnCluster = null;
            double experimentOnClusterSeconds = 0;
            foreach (var nodes in quick ? new[] { 2 } : [2, 3, 4])
            {
                var settings = LocalCluster.Write(Path.Combine(directory, $"nodes-{nodes}"), nodes);
                using var launcher = new ClusterLauncher(settings, NodeProcess.Program(typeof(BenchClusterCommand).Assembly.Location), error);
                try
                {
                    error.WriteLine($"bench cluster: starting {nodes} node processes");
                    launcher.StartNodes();
                    using var session = new RunSession(settings);
                    if (nodes == 2)
                    {
                        var count = quick ? 500 : 5_000;
                        session.RoundTrips(0, 1, count / 10, TimeSpan.FromMinutes(2));   // warm-up
                        var best = Best(repetitions, () => session.RoundTrips(0, 1, count, TimeSpan.FromMinutes(5)));
                        roundTripsPerSecond = count / best;
                        report(new Result("round-trips", 2, best, 0, count, null,
                            $"{roundTripsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} Akka.Remote round trips per second, node to node, one at a time"));
                    }
                    session.Run(start, TimeSpan.FromMinutes(30));   // warm-up: every node's first run JIT-compiles
                    RunDone? last = null;
                    var wall = Best(repetitions, () => last = session.Run(start, TimeSpan.FromMinutes(30)));
                    var windowsPerSecond = last!.Windows / wall;
                    report(new Result($"{Scenario}-{nodes}-nodes", nodes, wall, last.Windows, last.CrossNodeMessages, windowsPerSecond / roundTripsPerSecond,
                        $"{windowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} windows per second"));
                    if (nodes == 2)
                    {
                        // Once to warm the nodes up, once measured.
                        ExperimentCommand.OnNodes(session, nodes, plan, source, Scenario, builtIn: true, journalUri: null, runIds: null, TextWriter.Null);
                        var clock = Stopwatch.StartNew();
                        experimentOnCluster = ExperimentCommand.OnNodes(session, nodes, plan, source, Scenario, builtIn: true, journalUri: null, runIds: null, TextWriter.Null);
                        experimentOnClusterSeconds = clock.Elapsed.TotalSeconds;
                    }
                }
                finally
                {
                    launcher.StopNodes(TimeSpan.FromSeconds(30));
                }
            }

            // The experiment: one core, every core (worker processes, as `experiment` does), 2 nodes.
            ExperimentProgress.Run(plan, 1, (_, _, o) => Simulator.Run(source, o), TextWriter.Null);   // warm-up
            var oneCoreClock = Stopwatch.StartNew();
            var oneCore = ExperimentProgress.Run(plan, 1, (_, _, o) => Simulator.Run(source, o), TextWriter.Null);
            var oneCoreSeconds = oneCoreClock.Elapsed.TotalSeconds;
            var experiment = $"experiment-{plan.Policies.Count}-policies-{plan.Seeds.Count}-seeds";
            report(new Result($"{experiment}-one-core", 1, oneCoreSeconds, 0, 0, 1.0, $"{plan.RunCount} runs of {Scenario}, one after another in this process (the plan's second pass)"));
            var cores = Environment.ProcessorCount;
            IReadOnlyList<RunReport> allCores;
            double allCoresSeconds, withStartUpSeconds;
            var startUpClock = Stopwatch.StartNew();
            using (var pool = new WorkerPool(cores - 1, source, Scenario, builtIn: true, journalUri: null))
            {
                RunReport RunOn(int worker, int index, RunOptions o) => worker == 0 ? Simulator.Run(source, o) : pool.Run(worker - 1, index, o, null);
                // Cold: the workers' start-up and JIT counted, as a user of `experiment` sees it.
                ExperimentProgress.Run(plan, cores, RunOn, TextWriter.Null);
                withStartUpSeconds = startUpClock.Elapsed.TotalSeconds;
                // Warm, as the cluster's nodes are when they take the experiment.
                var clock = Stopwatch.StartNew();
                allCores = ExperimentProgress.Run(plan, cores, RunOn, TextWriter.Null);
                allCoresSeconds = clock.Elapsed.TotalSeconds;
            }
            report(new Result($"{experiment}-all-cores", 1, allCoresSeconds, 0, 0, oneCoreSeconds / allCoresSeconds,
                $"{cores} at a time: this process and {cores - 1} worker processes, warm"));
            report(new Result($"{experiment}-all-cores-cold", 1, withStartUpSeconds, 0, 0, oneCoreSeconds / withStartUpSeconds,
                "the same, the workers' start-up and first runs included"));
            report(new Result($"{experiment}-2-nodes", 2, experimentOnClusterSeconds, 0, 0, oneCoreSeconds / experimentOnClusterSeconds,
                "one run at a time on each node (the nodes up and warm: the plan's second pass)"));
            Check(oneCore, allCores, "all cores");
            Check(oneCore, experimentOnCluster!, "2 nodes");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A node's file still open: the temporary directory stays.
            }
        }
    }

    /// <summary>A benchmark's runs must be the one core's, or its figure means nothing.</summary>
    private static void Check(IReadOnlyList<RunReport> expected, IReadOnlyList<RunReport> actual, string what)
    {
        var differing = expected.Zip(actual, (a, b) => a.ResultHash != b.ResultHash).Count(d => d);
        if (differing > 0 || expected.Count != actual.Count)
            throw new InvalidOperationException($"bench cluster: the experiment on {what} gave {differing} results that differ from one core's");
    }

    private static double Best(int repetitions, Action action)
    {
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static double Best(int repetitions, Func<double> measure)
    {
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++) best = Math.Min(best, measure());
        return best;
    }

    private static string ToJson(Result result) => JsonSerializer.Serialize(new
    {
        name = result.Name,
        nodes = result.Nodes,
        wallSeconds = Math.Round(result.WallSeconds, 6),
        windows = result.Windows,
        crossNodeMessages = result.CrossNodeMessages,
        ratio = result.Ratio is { } r ? Math.Round(r, 3) : (double?)null,
        note = result.Note,
    });

    private static void WriteTable(TextWriter output, IReadOnlyList<Result> results)
    {
        var table = new TextTable().Column("benchmark").Column("nodes", numeric: true).Column("wall s", numeric: true).Column("windows", numeric: true)
            .Column("cross-node msgs", numeric: true).Column("ratio", numeric: true).Column("note");
        foreach (var r in results)
        {
            table.Row(r.Name, r.Nodes.ToString(CultureInfo.InvariantCulture), r.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                r.Windows.ToString("N0", CultureInfo.InvariantCulture), r.CrossNodeMessages.ToString("N0", CultureInfo.InvariantCulture),
                r.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "-", r.Note);
        }
        table.Write(output);
        output.WriteLine("ratio: for a cluster run, windows per second over round trips per second (0.5: a window costs 2 round trips); for an experiment, one core's wall time over its own.");
        output.WriteLine("Each figure is the best of its repetitions after a warm-up run; each experiment is the plan's second pass (warm processes), except all-cores-cold (the first pass, worker start-up included).");
    }
}
