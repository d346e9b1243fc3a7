using System.CommandLine;
using System.Globalization;
using Migration.Cli.Arguments;
using Migration.Cli.Output;
using Migration.Cluster.Launch;
using Migration.Cluster.Runs;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Cluster.Configuration;
using Migration.Cluster.Security;
using Migration.Cluster.Status;
using Migration.Persistence;
using Migration.Xen;

namespace Migration.Cli.Commands;

/// <summary>`migration cluster up|status|secret`: a scenario run across a cluster's nodes; its membership; a new cluster secret.</summary>
internal static class ClusterCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("cluster", "Work with a multi-process cluster: run a scenario across its nodes (up), its membership (status), its secret.");
        command.Subcommands.Add(Up(output, error));
        command.Subcommands.Add(Status(output, error));
        command.Subcommands.Add(Secret(error));
        return command;
    }

    private static Option<string> ConfigOption() =>
        new("--config") { Description = "The cluster config file (HOCON).", HelpName = "FILE", Required = true };

    public const string DefaultConfig = "cluster-config/local-3.conf";

    private static Command Up(TextWriter output, TextWriter error)
    {
        var config = new Option<string>("--config") { Description = $"The cluster config file (HOCON). Default: {DefaultConfig}.", HelpName = "FILE", DefaultValueFactory = _ => DefaultConfig };
        var scenario = SimulationOptions.Scenario();
        var policy = SimulationOptions.Policy();
        var toolstack = SimulationOptions.Toolstack();
        var preCopy = SimulationOptions.PreCopy();
        var seed = SimulationOptions.Seed();
        var json = new Option<bool>("--json") { Description = "Print only the JSON report on stdout (as `migration run --json` does)." };
        var verbose = new Option<bool>("--verbose") { Description = "Pass on what every node logs (on stderr, each line after its node's name)." };
        var command = new Command("up", "Start a process for every node of the config, run a scenario across them, print the report `run` prints, and make every node leave.")
        {
            config, scenario, policy, toolstack, preCopy, seed, json, verbose,
        };
        var invalidation = new ModeOptions(command);
        var journal = JournalOptions.ForWriting(command);
        journal.Journal.Description = "The journal every node writes the run to: sqlite:PATH or postgres:CONNECTION-STRING. Default: the config's migration.cluster.journal.";
        command.SetAction(parse =>
        {
            var settings = ClusterConfig.Load(parse.GetValue(config)!);
            var scenarioName = parse.GetValue(scenario)!;
            var source = ScenarioSource.Load(scenarioName);
            var builtIn = ScenarioSource.IsBuiltIn(scenarioName);
            var options = invalidation.Apply(parse, new RunOptions
            {
                Policy = parse.GetValue(policy) ?? SimulationOptions.DefaultPolicy, Toolstack = parse.GetValue(toolstack), PreCopy = parse.GetValue(preCopy), Seed = parse.GetValue(seed),
            });
            // The placement is checked before any process starts: a scenario the config cannot place is bad input.
            var placement = Migration.Cluster.Runs.Placement.Assign(settings, source.Scenario);
            error.WriteLine($"cluster up: {source.Scenario.Name} on {settings.Nodes.Count} nodes of {settings.ConfigPath} ({source.Scenario.Hosts.Count} hosts: " +
                            string.Join(", ", settings.Nodes.Select((n, i) => $"{n.Name} {placement.Count(p => p == i)}")) + ")");
            var start = RunWire.Start(source, scenarioName, builtIn, options);
            using var store = journal.UriForWriting(parse, settings.Journal) is { } uri ? JournalOptions.OpenConfigured(uri) : null;
            if (store is not null)
            {
                // The nodes open the journal themselves: a relative SQLite path means this directory's file.
                start.JournalUri = JournalUri.Absolute(journal.UriForWriting(parse, settings.Journal)!);
                start.RunId = RunIds.New(store, source.Scenario.Name, Names.Of(options.Policy), options.Seed);
            }
            using var launcher = new ClusterLauncher(settings, NodeProcess.Program(typeof(ClusterCommand).Assembly.Location), error, parse.GetValue(verbose));
            launcher.EnsureSecret();
            try
            {
                launcher.StartNodes();
                var done = launcher.Run(start, TimeSpan.FromHours(6));
                var report = ReportWire.FromMessage(done.Report);
                error.WriteLine($"cluster up: done in {done.Windows:N0} windows, {done.CrossNodeMessages:N0} messages between nodes");
                if (parse.GetValue(json)) output.WriteLine(ReportJson.Write(report));
                else RunCommand.WriteReport(output, report);
                if (store is not null) RunCommand.SayWhereJournaled(error, store, report.RunId!, "cluster up");
            }
            finally
            {
                launcher.StopNodes(TimeSpan.FromSeconds(30));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var config = ConfigOption();
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON." };
        var command = new Command("status", "Ask the cluster's nodes (seed nodes first) for the members and their states, and the latest membership events.")
        {
            config, json,
        };
        command.SetAction(parse =>
        {
            var settings = ClusterConfig.Load(parse.GetValue(config)!);
            var (reply, silent) = StatusQuery.AskAsync(settings, settings.StatusTimeout).GetAwaiter().GetResult();
            foreach (var name in silent) error.WriteLine($"cluster status: node {name} did not answer within {settings.StatusTimeout.TotalSeconds:0.#} s");
            if (reply is null)
            {
                error.WriteLine($"cluster status: no node of {settings.ConfigPath} answered; is the cluster running (`migration node --config {settings.ConfigPath} --node NAME`)?");
                return ExitCodes.Failed;
            }
            if (parse.GetValue(json)) output.WriteLine(Google.Protobuf.JsonFormatter.Default.Format(reply));
            else WriteStatus(output, reply);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteStatus(TextWriter output, Migration.Cluster.Wire.StatusReply reply)
    {
        output.WriteLine($"members, as node {reply.Node} sees them:");
        var members = new TextTable().Column("node").Column("address").Column("status").Column("reachable").Column("roles");
        foreach (var m in reply.Members) members.Row(m.Node.Length > 0 ? m.Node : "-", m.Address, m.Status, m.Reachable ? "yes" : "no", string.Join(",", m.Roles));
        members.Write(output);
        output.WriteLine("membership events (UTC):");
        var events = new TextTable().Column("time").Column("node").Column("event");
        foreach (var e in reply.Events)
        {
            events.Row(DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs).UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
                e.Node.Length > 0 ? e.Node : e.Address, e.Kind);
        }
        events.Write(output);
    }

    private static Command Secret(TextWriter error)
    {
        var path = new Option<string>("--out") { Description = "Where to write the secret (a PKCS#12 file; give every node the same one).", HelpName = "FILE", Required = true };
        var password = new Option<string>("--password") { Description = "A password for the file (then set migration.cluster.secret-password). Default: none.", DefaultValueFactory = _ => "" };
        var command = new Command("secret", "Make a new cluster secret: the certificate every node presents and accepts on Akka.Remote's mutual TLS.") { path, password };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(path)!;
            ClusterSecret.Create(file, parse.GetValue(password)!);
            error.WriteLine($"cluster secret: wrote {file}; every node of the cluster needs this file (migration.cluster.secret-file)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
