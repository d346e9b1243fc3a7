using System.Diagnostics;
using Migration.Cluster.Configuration;
using Migration.Cluster.Nodes;
using Migration.Cluster.Runs;
using Migration.Cluster.Security;
using Migration.Cluster.Status;
using Migration.Cluster.Wire;
using Migration.Simulation.Reports;

namespace Migration.Cluster.Launch;

/// <summary>
/// `migration cluster up`: starts a process for every node of a config, waits until all are up,
/// has the coordinator run one scenario across them, and makes every node leave gracefully. A node
/// process that dies before the run is done is started again, and rejoins.
/// </summary>
public sealed class ClusterLauncher : IDisposable
{
    private readonly ClusterConfig config;
    private readonly (string FileName, IReadOnlyList<string> Prefix) program;
    private readonly TextWriter log;
    private readonly Dictionary<string, NodeProcess> processes = new(StringComparer.Ordinal);   // written by the supervisor too: under its lock

    /// <param name="verbose">Pass on every line the nodes log, each after its node's name.</param>
    public ClusterLauncher(ClusterConfig config, (string FileName, IReadOnlyList<string> Prefix) program, TextWriter log, bool verbose = false)
    {
        this.config = config;
        this.program = program;
        this.log = log;
        this.verbose = verbose;
    }

    private readonly bool verbose;

    /// <summary>Node <paramref name="name"/>'s process now (another after a restart).</summary>
    public NodeProcess ProcessOf(string name)
    {
        lock (processes) return processes[name];
    }

    /// <summary>Makes the secret if the config's file is missing (a cluster this launcher starts is all its own).</summary>
    public void EnsureSecret()
    {
        if (File.Exists(config.SecretFile)) return;
        ClusterSecret.Create(config.SecretFile, config.SecretPassword);
        log.WriteLine($"cluster up: made the cluster secret {config.SecretFile}");
    }

    /// <summary>Whether the nodes were running already (started by hand, perhaps on other machines): they are used, not started, and stay up.</summary>
    public bool UsesRunningNodes { get; private set; }

    /// <summary>
    /// Starts every node's process and waits until all are up; fails naming the node that is not.
    /// A cluster of this config that is already running (a node answers as up) is used instead:
    /// then nothing is started here, and the nodes are waited for.
    /// </summary>
    public void StartNodes()
    {
        var (running, _) = StatusQuery.AskAsync(config, TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
        if (running?.Members.Any(m => m.Status == "up" && m.Roles.Contains(NodeHost.Role)) == true)
        {
            UsesRunningNodes = true;
            Say($"cluster up: the cluster of {config.ConfigPath} is running: using its nodes (they stay up afterwards)");
        }
        else
        {
            foreach (var node in config.Nodes) Start(node.Name);
        }
        var clock = Stopwatch.StartNew();
        var said = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var process in processes.Values.Where(p => p.HasExited))
            {
                throw new ClusterConfigException($"node {process.Name} exited with code {process.ExitCode} before the cluster was up: " +
                                                 string.Join(" | ", process.Lines.TakeLast(5)));
            }
            var (reply, _) = StatusQuery.AskAsync(config, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
            var up = reply?.Members.Where(m => m.Status == "up" && m.Roles.Contains(NodeHost.Role)).Select(m => m.Node).ToHashSet() ?? [];
            foreach (var name in up.Where(said.Add)) log.WriteLine($"cluster up: node {name} is up");
            if (config.Nodes.All(n => up.Contains(n.Name))) return;
            if (clock.Elapsed > config.UpTimeout)
            {
                var missing = config.Nodes.Where(n => !up.Contains(n.Name)).Select(n => n.Name);
                throw new InvalidOperationException($"after {config.UpTimeout.TotalSeconds:0} s (migration.cluster.up-timeout) these nodes are not up: {string.Join(", ", missing)}\n" +
                                                    string.Join("\n", processes.Values.Select(p => $"--- {p.Name}: {string.Join(" | ", p.Lines.TakeLast(5))}")));
            }
            Thread.Sleep(250);   // polling the membership of a starting cluster
        }
    }

    private void Start(string node)
    {
        var process = NodeProcess.Start(program, config.ConfigPath, node, verbose ? line => Say($"{node}: {line}") : null);
        lock (processes) processes[node] = process;
        Say($"cluster up: started node {node} (process {process.Id})");
    }

    private void Say(string line)
    {
        lock (log) log.WriteLine(line);
    }

    /// <summary>
    /// Has the coordinator run <paramref name="start"/>; returns its answer. Meanwhile a node
    /// process that dies is started again (it rejoins, and the coordinator carries the run on).
    /// </summary>
    public RunDone Run(StartRun start, TimeSpan timeout)
    {
        session ??= new RunSession(config);
        using var supervising = new CancellationTokenSource();
        var supervisor = Task.Run(() => Supervise(supervising.Token));
        try
        {
            return session.Run(start, timeout, Progress);
        }
        finally
        {
            supervising.Cancel();
            supervisor.Wait();
        }
    }

    /// <summary>How often the launcher looks for node processes that died.</summary>
    public static readonly TimeSpan SuperviseInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Node processes started again because theirs died, in all.</summary>
    public int Restarts { get; private set; }

    private void Supervise(CancellationToken stop)
    {
        while (!stop.WaitHandle.WaitOne(SuperviseInterval))
        {
            NodeProcess[] dead;
            lock (processes) dead = processes.Values.Where(p => p.HasExited).ToArray();
            foreach (var process in dead)
            {
                var code = process.ExitCode;
                var how = code > 128 ? $"was killed (signal {code - 128})" : $"exited with code {code}";
                Say($"cluster up: node {process.Name} {how} during the run; starting it again");
                process.Dispose();
                Start(process.Name);
                Restarts++;
            }
        }
    }

    private RunSession? session;

    /// <summary>Every progress report of the coordinator, as it comes (on the session's thread).</summary>
    public event Action<RunProgress>? Progressed;

    private string lastProgress = "";

    private void Progress(RunProgress progress)
    {
        Progressed?.Invoke(progress);
        var what = progress.Stage switch { 1 => "running", 2 => "counterfactual runs", 3 => "running again with the verdicts", _ => "stage " + progress.Stage };
        var line = progress.Message.Length > 0
            ? $"cluster up: the coordinator: {progress.Message}"
            : $"cluster up: {what}: {progress.Windows:N0} windows, virtual time {TimeSpan.FromTicks(progress.VirtualTicks).TotalSeconds:0.000} s";
        // The coordinator repeats where it is while it waits (and to every resend): said once.
        if (line == lastProgress) return;
        lastProgress = line;
        Say(line);
    }

    /// <summary>
    /// Asks every node to leave (SIGTERM: leaving, exiting, removed), one after another, the seed
    /// nodes last, and waits for each to exit. One at a time: nodes that all leave at once wait on
    /// one another (a leaving leader has no one to hand the membership to) for Akka's timeouts.
    /// </summary>
    public void StopNodes(TimeSpan timeout)
    {
        if (UsesRunningNodes) return;
        var order = config.Nodes.OrderBy(n => config.SeedNodes.Contains(n)).ThenByDescending(n => n.Port).Select(n => n.Name);
        foreach (var name in order)
        {
            if (!processes.TryGetValue(name, out var process) || process.HasExited) continue;
            process.Stop();
            if (process.WaitForExit(timeout)) log.WriteLine($"cluster up: node {process.Name} left (exit code {process.ExitCode})");
            else log.WriteLine($"cluster up: node {process.Name} did not leave within {timeout.TotalSeconds:0} s; it is killed");
        }
    }

    public void Dispose()
    {
        session?.Dispose();
        foreach (var process in processes.Values) process.Dispose();
    }
}
