using System.CommandLine;
using System.Globalization;
using Migration.Cli.Arguments;
using Migration.Cli.Output;

namespace Migration.Cli.Commands;

/// <summary>`migration runs [--journal URI]`: the journal's runs, newest first.</summary>
internal static class RunsCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("runs", "List the runs stored in a journal, newest first.");
        var journal = JournalOptions.ForReading(command);
        command.SetAction(parse =>
        {
            using var store = journal.OpenForReading(parse);
            var table = new TextTable()
                .Column("run id").Column("status").Column("seed", numeric: true).Column("description").Column("result hash").Column("started (UTC)");
            foreach (var run in store.ReadRuns())
            {
                table.Row(run.RunId, run.Status.ToString().ToLowerInvariant(), run.Seed.ToString(CultureInfo.InvariantCulture), run.Description,
                    run.ResultHash ?? "-", run.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }
}
