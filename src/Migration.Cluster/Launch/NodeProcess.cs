using System.Collections.Concurrent;
using System.Diagnostics;

namespace Migration.Cluster.Launch;

/// <summary>
/// A node running as its own OS process (`migration node --config FILE --node NAME`), started from
/// the same program as the caller; what it writes to stderr is kept (the latest
/// <see cref="LinesKept"/> lines) and passed to <see cref="Line"/> as it comes.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    public const int LinesKept = 2_000;

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private NodeProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Each stderr line of the node, as it is written.</summary>
    public event Action<string>? Line;

    /// <summary>The node's stderr so far (its latest lines).</summary>
    public IReadOnlyList<string> Lines => lines.ToArray();

    /// <summary>Starts <c>migration node --config <paramref name="configPath"/> --node <paramref name="name"/></c>.</summary>
    /// <param name="program">How to run `migration`: the executable and the arguments before the command (see <see cref="Program"/>).</param>
    public static NodeProcess Start((string FileName, IReadOnlyList<string> Prefix) program, string configPath, string name, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(program.FileName) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in program.Prefix) start.ArgumentList.Add(argument);
        foreach (var argument in new[] { "node", "--config", configPath, "--node", name }) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new NodeProcess(name, process);
        if (onLine is not null) node.Line += onLine;
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return node;
    }

    /// <summary>
    /// How to run the program whose main assembly is <paramref name="assemblyPath"/> (migration.dll):
    /// its apphost when this process is that apphost, otherwise <c>dotnet ASSEMBLY</c> (under
    /// `dotnet run`, `dotnet migration.dll`, or a test host).
    /// </summary>
    public static (string FileName, IReadOnlyList<string> Prefix) Program(string assemblyPath)
    {
        ArgumentNullException.ThrowIfNull(assemblyPath);
        var host = Environment.ProcessPath ?? "";
        var apphost = Path.ChangeExtension(assemblyPath, null);
        if (string.Equals(Path.GetFullPath(host), Path.GetFullPath(apphost), StringComparison.Ordinal)) return (host, []);
        var dotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? host
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (dotnet, [assemblyPath]);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lines.Enqueue(line);
        while (lines.Count > LinesKept) lines.TryDequeue(out _);
        Line?.Invoke(line);
    }

    /// <summary>SIGTERM: the node leaves the cluster gracefully and exits.</summary>
    public void Stop() => Signal(Signals.Term);

    /// <summary>SIGKILL: the process dies at once; the cluster notices by its failure detector.</summary>
    public void Kill() => Signal(Signals.Kill);

    /// <summary>SIGSTOP: the process freezes (heartbeats stop) until <see cref="Resume"/>.</summary>
    public void Pause() => Signal(Signals.Stop);

    public void Resume() => Signal(Signals.Continue);

    private void Signal(int signal)
    {
        if (!process.HasExited) Signals.Send(process.Id, signal);
    }

    /// <summary>Waits for the process to exit; false when it has not within <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return false;
        process.WaitForExit();   // and for its output to be read to the end
        return true;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
        }
        process.Dispose();
    }
}
