namespace Migration.Cli;

public static class Program
{
    public static int Main(string[] args) => MigrationCli.Run(args, Console.Out, Console.Error);
}
