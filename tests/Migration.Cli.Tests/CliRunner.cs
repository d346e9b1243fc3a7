namespace Migration.Cli.Tests;

/// <summary>Runs the real `migration` root command with real arguments, capturing both streams.</summary>
public static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = MigrationCli.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
