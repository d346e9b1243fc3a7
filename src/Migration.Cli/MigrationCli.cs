using System.CommandLine;
using Migration.Cli.Commands;
using Migration.Scenarios.Model;

namespace Migration.Cli;

/// <summary>
/// The `migration` command line. Data goes to <c>stdout</c>, messages for people to <c>stderr</c>;
/// bad input (the command line, a scenario file, a journal URI) exits with <see cref="ExitCodes.BadInput"/>
/// and says what was wrong, a failure while running with <see cref="ExitCodes.Failed"/>. No stack traces.
/// </summary>
public static class MigrationCli
{
    public static RootCommand BuildRoot(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Migration: a deterministic, actor-based simulation of Xen hosts negotiating live migration under veto policies. " +
            "Without a command, runs `experiment` with its defaults.");
        root.Subcommands.Add(RunCommand.Create(output, error));
        root.Subcommands.Add(ExperimentCommand.Create(output, error));
        root.Subcommands.Add(ExperimentWorkerCommand.Create());
        root.Subcommands.Add(PoliciesCommand.Create(output));
        root.Subcommands.Add(ModesCommand.Create(output));
        root.Subcommands.Add(ScenariosCommand.Create(output));
        root.Subcommands.Add(RunsCommand.Create(output));
        root.Subcommands.Add(ReplayCommand.Create(output, error));
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.Subcommands.Add(NodeCommand.Create(error));
        root.Subcommands.Add(ClusterCommand.Create(output, error));
        root.SetAction(parse =>
        {
            error.WriteLine("migration: no command given: running `migration experiment` with its defaults (`migration --help` lists the commands)");
            return root.Parse([ExperimentCommand.Name]).Invoke(Invocation(output, error));
        });
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors) error.WriteLine($"migration: {problem.Message}");
            error.WriteLine("Run 'migration --help' for the commands and their options.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(Invocation(output, error));
        }
        catch (Exception bad) when (bad is BadInputException or ScenarioException or Migration.Cluster.Configuration.ClusterConfigException)
        {
            error.WriteLine($"migration: {bad.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception failure)
        {
            error.WriteLine($"migration: {failure.Message}");
            return ExitCodes.Failed;
        }
    }

    private static InvocationConfiguration Invocation(TextWriter output, TextWriter error) =>
        new() { Output = output, Error = error, EnableDefaultExceptionHandler = false };
}
