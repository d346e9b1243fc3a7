using System.CommandLine;
using Migration.Cli.Output;
using Migration.Scenarios;

namespace Migration.Cli.Commands;

/// <summary>`migration scenarios`: each built-in scenario, what it isolates, and where the argument comes from.</summary>
internal static class ScenariosCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("scenarios", "List the built-in scenarios: name, description, origin.");
        command.SetAction(_ =>
        {
            var table = new TextTable().Column("scenario").Column("description").Column("origin");
            foreach (var name in ScenarioCatalog.BuiltInNames)
            {
                var scenario = ScenarioCatalog.LoadBuiltIn(name);
                table.Row(name, scenario.Description, scenario.Origin);
            }
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }
}
