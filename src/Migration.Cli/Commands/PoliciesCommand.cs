using System.CommandLine;
using Migration.Cli.Output;
using Migration.Xen.Policies;

namespace Migration.Cli.Commands;

/// <summary>`migration policies`: each veto policy, what it refuses, and where it comes from.</summary>
internal static class PoliciesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("policies", "List the veto policies: name, what each refuses, where it comes from.");
        command.SetAction(_ =>
        {
            var table = new TextTable().Column("policy").Column("refuses").Column("origin");
            foreach (var entry in PolicyCatalog.All) table.Row(entry.Name, entry.Refuses, entry.Origin);
            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }
}
