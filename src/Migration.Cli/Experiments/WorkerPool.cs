using System.Diagnostics;
using Migration.Cli.Commands;
using Migration.Cluster.Launch;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Simulation.Wire;

namespace Migration.Cli.Experiments;

/// <summary>
/// An experiment's worker processes (`migration experiment-worker`), one per core beyond the one the
/// experiment's own process runs on: each gets the scenario once, then one run at a time from the
/// thread that drives it, and answers with the run's report. A worker that fails or dies ends the
/// experiment with what it said.
/// </summary>
/// <remarks>
/// A worker pays its own JIT, so it is started to reach full speed soon: without tiered PGO, whose
/// instrumented tier cost a worker more than it gained, and with methods promoted to optimized code
/// as soon as they are hot rather than after the default 100 ms quiet (DOTNET_TieredPGO=0,
/// DOTNET_TC_CallCountingDelayMs=0; datacenter, 7 policies x 20 seeds, 2 cores: 4.6 s with the
/// defaults, 3.9 s with these).
/// </remarks>
internal sealed class WorkerPool : IDisposable
{
    private readonly Process[] processes;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string>[] errors;

    /// <summary>Lines of a worker's stderr kept to explain its failure.</summary>
    private const int ErrorLinesKept = 20;

    public WorkerPool(int workers, ScenarioText scenario, string scenarioSource, bool builtIn, string? journalUri)
    {
        var (fileName, prefix) = NodeProcess.Program(typeof(WorkerPool).Assembly.Location);
        processes = new Process[workers];
        errors = new System.Collections.Concurrent.ConcurrentQueue<string>[workers];
        var setup = new WorkerSetup { ScenarioSource = scenarioSource, ScenarioYaml = scenario.Yaml, BuiltIn = builtIn, JournalUri = journalUri ?? "" };
        for (var i = 0; i < workers; i++)
        {
            var start = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in prefix) start.ArgumentList.Add(argument);
            start.ArgumentList.Add(ExperimentWorkerCommand.Name);
            start.Environment["DOTNET_TieredPGO"] = "0";
            start.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start an experiment worker process");
            processes[i] = process;
            var kept = errors[i] = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                kept.Enqueue(e.Data);
                while (kept.Count > ErrorLinesKept && kept.TryDequeue(out var _)) { }
            };
            process.BeginErrorReadLine();
            Delimited.Write(process.StandardInput.BaseStream, setup);
        }
    }

    /// <summary>Runs <paramref name="options"/> on worker <paramref name="worker"/> and waits for its report.</summary>
    public RunReport Run(int worker, int index, RunOptions options, string? runId)
    {
        var process = processes[worker];
        try
        {
            Delimited.Write(process.StandardInput.BaseStream, ExperimentWorkerCommand.RequestOf(index, options, runId));
            var result = Delimited.Read(process.StandardOutput.BaseStream, RunResult.Parser)
                         ?? throw new InvalidOperationException($"experiment worker {worker} ended before answering run {index} (exit code {ExitCodeOf(process)}){Said(worker)}");
            if (result.Error.Length > 0) throw new InvalidOperationException($"run {index} ({options.Policy}, seed {options.Seed}) failed: {result.Error}");
            return ReportWire.FromMessage(result.Report);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"experiment worker {worker} is gone (exit code {ExitCodeOf(process)}): {e.Message}{Said(worker)}", e);
        }
    }

    private string Said(int worker) => errors[worker].IsEmpty ? "" : "; it said: " + string.Join(" | ", errors[worker]);

    private static string ExitCodeOf(Process process) => process.WaitForExit(5_000) ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none yet";

    public void Dispose()
    {
        foreach (var process in processes)
        {
            try
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Never started, or gone already.
            }
            process.Dispose();
        }
    }
}
