using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Migration.Benchmarks;
using Migration.Benchmarks.Journal;
using Migration.Cli.Output;
using Migration.Simulation.Bench;
using Spectre.Console;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration bench engine|journal|sim [--json] [--quick]`: the engine's and the journal's throughput beside a
/// raw baseline measured in the same run; the simulation's virtual seconds per wall-clock second.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var bench = new Command("bench",
            "Measure throughput: the engine and the journal beside a raw baseline run in the same process; the simulation in virtual seconds per wall second.");
        bench.Subcommands.Add(CreateEngine(output, error));
        bench.Subcommands.Add(CreateJournal(output, error));
        bench.Subcommands.Add(CreateSim(output, error));
        bench.Subcommands.Add(BenchClusterCommand.Create(output, error));
        return bench;
    }

    private static Command CreateEngine(TextWriter output, TextWriter error)
    {
        var json = JsonOption("name, messagesPerSecond, baselinePerSecond, ratio");
        var quick = QuickOption();
        var only = new Option<string[]>("--only")
        {
            Description = "Run only the named benchmarks: " + string.Join(", ", EngineBenchmarks.All.Select(b => b.Name)) + ".",
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong(EngineBenchmarks.All.Select(b => b.Name).ToArray());
        var engine = new Command("engine", "The actor engine: two-actor ping-pong, fan-out to 10,000 actors and back, 100,000 timers.")
        {
            json,
            quick,
            only,
        };
        engine.SetAction(parse =>
        {
            var sizes = parse.GetValue(quick) ? EngineBenchmarks.Sizes.Quick : EngineBenchmarks.Sizes.Full;
            var results = new List<BenchmarkResult>();
            var selected = parse.GetValue(only) is { Length: > 0 } names ? names : EngineBenchmarks.All.Select(b => b.Name).ToArray();
            foreach (var (_, run) in EngineBenchmarks.All.Where(b => selected.Contains(b.Name)))
            {
                var result = run(sizes);
                error.WriteLine($"bench engine: {result.Name} done ({result.PerSecond:N0}/s, baseline {result.BaselinePerSecond:N0}/s)");
                results.Add(result);
                if (parse.GetValue(json)) output.WriteLine(ToJson(result));
            }
            if (!parse.GetValue(json)) WriteTable(output, results, "msg/s");
            return ExitCodes.Ok;
        });
        return engine;
    }

    /// <summary>The environment variable `bench journal` reads a PostgreSQL connection string from when --postgres is not given.</summary>
    public const string PostgresVariable = "MIGRATION_POSTGRES";

    private static Command CreateJournal(TextWriter output, TextWriter error)
    {
        var json = JsonOption("name, eventsPerSecond, baselinePerSecond, ratio");
        var quick = QuickOption();
        var postgres = new Option<string?>("--postgres")
        {
            Description = $"An Npgsql connection string (Host=...;Username=...;Password=...;Database=...) to measure PostgreSQL too; default ${PostgresVariable}. " +
                          "The benchmark works in schemas of its own and drops them.",
        };
        var journal = new Command("journal", "The journal: events persisted per second (SQLite, PostgreSQL) beside a raw bulk insert, and recovery beside a raw read.")
        {
            json,
            quick,
            postgres,
        };
        journal.SetAction(parse =>
        {
            var sizes = parse.GetValue(quick) ? JournalBenchmarks.Sizes.Quick : JournalBenchmarks.Sizes.Full;
            var connection = parse.GetValue(postgres) ?? Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrEmpty(connection))
            {
                connection = null;
                error.WriteLine($"bench journal: no PostgreSQL connection (--postgres or ${PostgresVariable}): measuring SQLite only");
            }
            var results = new List<BenchmarkResult>();
            foreach (var result in JournalBenchmarks.Run(sizes, connection, message => error.WriteLine($"bench journal: {message}")))
            {
                results.Add(result);
                if (parse.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        name = result.Name,
                        eventsPerSecond = Math.Round(result.PerSecond),
                        baselinePerSecond = (double?)Math.Round(result.BaselinePerSecond),
                        ratio = (double?)Math.Round(result.Ratio, 3),
                    }));
                }
            }
            if (!parse.GetValue(json)) WriteTable(output, results, "events/s");
            return ExitCodes.Ok;
        });
        return journal;
    }

    private static Command CreateSim(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per benchmark (name, hosts, virtualSeconds, wallSeconds, virtualSecondsPerWallSecond) instead of a table.",
        };
        var quick = QuickOption();
        var sim = new Command("sim", "The Xen simulation: virtual seconds simulated per wall-clock second (simgrid-200; the datacenter at 32, 64, 128 hosts).")
        {
            json,
            quick,
        };
        sim.SetAction(parse =>
        {
            var results = new List<SimBenchResult>();
            foreach (var result in SimBenchmarks.Run(parse.GetValue(quick), message => error.WriteLine(SimProgress(message))))
            {
                results.Add(result);
                if (parse.GetValue(json)) output.WriteLine(ToJson(result));
            }
            if (!parse.GetValue(json)) WriteSimTable(output, results);
            return ExitCodes.Ok;
        });
        return sim;
    }

    // The benchmarks name themselves in their progress messages; other groups' messages get the prefix here.
    private static string SimProgress(string message) =>
        message.StartsWith("bench sim:", StringComparison.Ordinal) ? message : "bench sim: " + message;

    private static string ToJson(SimBenchResult result) => JsonSerializer.Serialize(new
    {
        name = result.Name,
        hosts = result.Hosts,
        virtualSeconds = Math.Round(result.VirtualSeconds, 3),
        wallSeconds = Math.Round(result.WallSeconds, 6),
        virtualSecondsPerWallSecond = Math.Round(result.VirtualSecondsPerWallSecond, 3),
    });

    private static void WriteSimTable(TextWriter output, IReadOnlyList<SimBenchResult> results)
    {
        var table = new TextTable().Column("benchmark").Column("hosts", numeric: true).Column("virtual s", numeric: true)
            .Column("wall s", numeric: true).Column("virtual s per wall s", numeric: true);
        foreach (var r in results)
        {
            table.Row(r.Name, r.Hosts.ToString(CultureInfo.InvariantCulture), r.VirtualSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                r.WallSeconds.ToString("0.000000", CultureInfo.InvariantCulture), r.VirtualSecondsPerWallSecond.ToString("N1", CultureInfo.InvariantCulture));
        }
        table.Write(output);
    }

    private static Option<bool> JsonOption(string fields) =>
        new("--json") { Description = $"Print one JSON object per benchmark ({fields}) instead of a table." };

    private static Option<bool> QuickOption() =>
        new("--quick") { Description = "Small workloads and one repetition: a smoke check, not a measurement." };

    private static string ToJson(BenchmarkResult result) => JsonSerializer.Serialize(new
    {
        name = result.Name,
        messagesPerSecond = Math.Round(result.PerSecond),
        baselinePerSecond = Math.Round(result.BaselinePerSecond),
        ratio = Math.Round(result.Ratio, 3),
    });

    private static void WriteTable(TextWriter output, IReadOnlyList<BenchmarkResult> results, string unit)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table().AddColumns("benchmark", "count", $"engine {unit}", $"baseline {unit}", "ratio");
        foreach (var r in results)
        {
            table.AddRow(
                r.Name,
                r.Operations.ToString("N0", CultureInfo.InvariantCulture),
                r.PerSecond.ToString("N0", CultureInfo.InvariantCulture),
                r.BaselinePerSecond.ToString("N0", CultureInfo.InvariantCulture),
                r.Ratio.ToString("0.00", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        foreach (var r in results) console.WriteLine($"{r.Name}: {r.Description}");
        if (unit == "msg/s") console.WriteLine("Baseline: a bare PriorityQueue loop (allocate, push, pop, dispatch by delegate, hash) doing the equivalent work.");
        else console.WriteLine("Baselines: the same rows by a raw prepared INSERT (SQLite) or binary COPY (PostgreSQL) in same-sized transactions; a raw SELECT of every row.");
        console.WriteLine("Each figure is the best repetition; engine and baseline repetitions alternate in the same process.");
    }
}
