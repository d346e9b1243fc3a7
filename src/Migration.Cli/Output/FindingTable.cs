namespace Migration.Cli.Output;

/// <summary>The oracle findings `run` and `replay` print under the refusals (stale altp2m views), when a run has any.</summary>
internal static class FindingTable
{
    public static void Write(TextWriter output, IReadOnlyList<(double TimeMs, string Host, string Domain, string Check, string Description)> findings)
    {
        if (findings.Count == 0) return;
        output.WriteLine($"oracle findings ({findings.Count}):");
        var table = new TextTable().Column("time ms", numeric: true).Column("host").Column("domain").Column("check").Column("finding");
        foreach (var f in findings) table.Row(MigrationTable.Milliseconds(f.TimeMs), f.Host, f.Domain, f.Check, f.Description);
        table.Write(output);
    }
}
