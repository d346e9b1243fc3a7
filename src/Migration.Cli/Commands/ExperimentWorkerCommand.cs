using System.CommandLine;
using Migration.Persistence;
using Migration.Scenarios;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Simulation.Wire;
using Migration.Xen;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration experiment-worker` (not listed: `experiment` starts it): one of an experiment's worker
/// processes. It reads a <see cref="WorkerSetup"/> and then <see cref="RunRequest"/>s from stdin,
/// length-delimited protobuf, runs each, and answers each with a <see cref="RunResult"/> on stdout.
/// Processes rather than threads, because runs on threads of one process share its collector and
/// its JIT's counters and went barely faster than one (measured: 1.15x on 2 cores; processes 1.7x).
/// </summary>
internal static class ExperimentWorkerCommand
{
    public const string Name = "experiment-worker";

    public static Command Create()
    {
        var command = new Command(Name, "An experiment's worker process (started by `migration experiment`; reads protobuf from stdin).") { Hidden = true };
        command.SetAction(_ =>
        {
            using var input = Console.OpenStandardInput();
            using var output = Console.OpenStandardOutput();
            var setup = Delimited.Read(input, WorkerSetup.Parser) ?? throw new InvalidDataException("no setup on stdin");
            var scenario = Load(setup);
            using var store = setup.JournalUri.Length == 0 ? null : JournalUri.Open(setup.JournalUri);
            // Until the end of stdin: then the experiment has no more runs for this worker.
            while (Delimited.Read(input, RunRequest.Parser) is { } request) Delimited.Write(output, Answer(scenario, store, request));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ScenarioText Load(WorkerSetup setup) => setup.BuiltIn
        ? new ScenarioText(ScenarioCatalog.LoadBuiltIn(setup.ScenarioSource), setup.ScenarioYaml)
        : new ScenarioText(ScenarioLoader.Load(setup.ScenarioYaml, setup.ScenarioSource), setup.ScenarioYaml);

    private static RunResult Answer(ScenarioText scenario, Migration.Persistence.Journal.IJournalStore? store, RunRequest request)
    {
        try
        {
            var options = OptionsOf(request);
            var report = Simulator.Run(scenario, options, store, request.RunId.Length == 0 ? null : request.RunId);
            return new RunResult { Index = request.Index, Report = ReportWire.ToMessage(report) };
        }
        catch (Exception e)
        {
            return new RunResult { Index = request.Index, Error = e.Message };
        }
    }

    public static RunOptions OptionsOf(RunRequest request)
    {
        if (!Names.TryParse(request.Policy, out VetoPolicy policy)) throw new InvalidDataException($"unknown policy '{request.Policy}'");
        ToolstackKind? toolstack = null;
        if (request.Toolstack.Length > 0) toolstack = Names.TryParse(request.Toolstack, out ToolstackKind kind) ? kind : throw new InvalidDataException($"unknown toolstack '{request.Toolstack}'");
        PreCopyPolicyKind? preCopy = null;
        if (request.Precopy.Length > 0) preCopy = Names.TryParse(request.Precopy, out PreCopyPolicyKind pre) ? pre : throw new InvalidDataException($"unknown pre-copy policy '{request.Precopy}'");
        return new RunOptions { Policy = policy, Seed = request.Seed, Toolstack = toolstack, PreCopy = preCopy }.WithOverrides(request.Invalidation, request.HasFlushTicks ? request.FlushTicks : -1, request.Altp2M);
    }

    public static RunRequest RequestOf(int index, RunOptions options, string? runId)
    {
        var request = new RunRequest
        {
            Index = index, Policy = Names.Of(options.Policy), Seed = options.Seed, Toolstack = options.Toolstack is { } kind ? Names.Of(kind) : "",
            Precopy = options.PreCopy is { } preCopy ? Names.Of(preCopy) : "", RunId = runId ?? "", Invalidation = options.InvalidationName, Altp2M = options.Altp2mName,
        };
        if (options.Flush is { } flush) request.FlushTicks = flush.Ticks;
        return request;
    }
}
