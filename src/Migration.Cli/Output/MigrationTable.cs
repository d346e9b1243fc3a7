using System.Globalization;

namespace Migration.Cli.Output;

/// <summary>The table of migrations `run` and `replay` print, then the reasons of those that did not simply complete.</summary>
internal static class MigrationTable
{
    public static void Write(TextWriter output, IReadOnlyList<MigrationRow> migrations)
    {
        var table = new TextTable()
            .Column("domain").Column("from").Column("to").Column("outcome").Column("refused by").Column("rule").Column("error")
            .Column("passes", numeric: true).Column("pages sent", numeric: true).Column("stale pages", numeric: true)
            .Column("DMA faults", numeric: true).Column("downtime ms", numeric: true).Column("total ms", numeric: true)
            .Column("MB/s", numeric: true);
        foreach (var m in migrations)
        {
            table.Row(m.Domain, m.From, m.To, m.Outcome, Dash(m.RefusedBy), Dash(m.Rule), Dash(m.Error), Count(m.Passes), Count(m.PagesSent),
                Count(m.StalePages), Count(m.DmaFaults), Milliseconds(m.DowntimeMs), Milliseconds(m.TotalMs),
                Milliseconds(m.MeanRateBytesPerSecond / 1e6));
        }
        table.Write(output);
        foreach (var m in migrations.Where(m => m.Reason.Length > 0)) output.WriteLine($"{m.Domain}: {m.Reason}");
        foreach (var m in migrations.Where(m => m.IommuCalls > 0 || m.IommuFailures > 0))
        {
            var left = m.IommuDisagreements > 0 ? $"; {Count(m.IommuDisagreements)} page(s) of the hardware domain left mapped in its IOMMU and not in its P2M" : "";
            output.WriteLine($"{m.Domain}: {Count(m.IommuCalls)} IOMMU calls from its grants, balloon and transfers, {Count(m.IommuFailures)} failed{left}");
        }
        foreach (var m in migrations.Where(m => m.CpuSpunMs > 0 || m.VcpusBlockedMs > 0 || m.DevicesBroken > 0 || m.SecurityViolations > 0))
        {
            var first = m.FirstViolation.Length > 0 ? $"; first: {m.FirstViolation}" : "";
            output.WriteLine($"{m.Domain}: Device-TLB flushes spun the CPU {Milliseconds(m.CpuSpunMs)} ms and held its vCPUs {Milliseconds(m.VcpusBlockedMs)} ms; " +
                             $"{m.DevicesBroken} device(s) broken, {Count(m.SecurityViolations)} security violation(s){first}");
        }
    }

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Dash(string text) => text.Length == 0 ? "-" : text;
}
