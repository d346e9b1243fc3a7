namespace Migration.Cli.Output;

/// <summary>The refusals `run` and `replay` print under the migrations: every one the run made, at boot or later.</summary>
internal static class RefusalTable
{
    public static void Write(TextWriter output, IReadOnlyList<RefusalRow> refusals)
    {
        if (refusals.Count == 0)
        {
            output.WriteLine("refusals: none");
            return;
        }
        output.WriteLine($"refusals ({refusals.Count}):");
        var table = new TextTable()
            .Column("time ms", numeric: true).Column("host").Column("domain").Column("device").Column("refused by").Column("rule").Column("error").Column("reason");
        foreach (var r in refusals)
        {
            table.Row(MigrationTable.Milliseconds(r.TimeMs), r.Host, MigrationTable.Dash(r.Domain), MigrationTable.Dash(r.Device), r.RefusedBy, r.Rule, r.Error, r.Reason);
        }
        table.Write(output);
    }
}
