using System.CommandLine;
using Migration.Cli.Commands;

namespace Migration.Cli;

/// <summary>
/// The `migration` command line. Data goes to <c>stdout</c>, messages for people to <c>stderr</c>;
/// a bad command line exits with <see cref="ExitCodes.BadInput"/> and says what was wrong.
/// </summary>
public static class MigrationCli
{
    public static RootCommand BuildRoot(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Migration: a deterministic, actor-based simulation of Xen hosts negotiating live migration under veto policies.");
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.SetAction(parse =>
        {
            // No command yet: show what there is. (The simulation issue makes this run the default experiment.)
            return parse.RootCommandResult.Command.Parse("--help").Invoke(new InvocationConfiguration { Output = output, Error = error });
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
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception failure)
        {
            error.WriteLine($"migration: {failure.Message}");
            return ExitCodes.Failed;
        }
    }
}
