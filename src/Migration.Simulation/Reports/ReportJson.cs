using System.Text;
using System.Text.Json;
using Migration.Xen;
using Migration.Xen.Oracle;

namespace Migration.Simulation.Reports;

/// <summary>
/// The JSON report, a public interface (documented in the README): top level <c>scenario</c>,
/// <c>policy</c>, <c>toolstack</c>, <c>seed</c>, <c>resultHash</c>, <c>runId</c>, <c>migrations</c>,
/// <c>refusals</c>, <c>summary</c>. Field names and meanings never change; new fields may be added.
/// </summary>
public static class ReportJson
{
    public static string Write(RunReport report, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            WriteReport(json, report);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <remarks>A field added here is added to <see cref="ResultHash"/> too, which hashes every field but the hash and the run id.</remarks>
    public static void WriteReport(Utf8JsonWriter json, RunReport report)
    {
        json.WriteStartObject();
        json.WriteString("scenario", report.Scenario);
        json.WriteString("policy", report.Policy);
        json.WriteString("toolstack", report.Toolstack);
        json.WriteNumber("seed", report.Seed);
        if (report.Invalidation is { } mode) json.WriteString("iotlbMode", mode);
        if (report.Altp2m is { } rules) json.WriteString("altp2m", rules);
        json.WriteString("resultHash", report.ResultHash);
        if (report.RunId is { } runId) json.WriteString("runId", runId);
        else json.WriteNull("runId");
        json.WritePropertyName("migrations");
        json.WriteStartArray();
        foreach (var migration in report.Migrations) WriteMigration(json, migration);
        json.WriteEndArray();
        json.WritePropertyName("refusals");
        json.WriteStartArray();
        foreach (var refusal in report.Refusals) WriteRefusal(json, refusal);
        json.WriteEndArray();
        // What the hosts' oracles found unsafe outside any one migration (seeds/003: stale altp2m views).
        json.WritePropertyName("findings");
        json.WriteStartArray();
        foreach (var finding in report.Findings)
        {
            json.WriteStartObject();
            json.WriteNumber("timeMs", Math.Round(finding.TimeMs, 3));
            json.WriteString("host", finding.HostName);
            json.WriteString("domain", finding.Domain);
            json.WriteString("check", finding.Check);
            json.WriteString("description", finding.Description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WritePropertyName("summary");
        WriteSummary(json, report.Summary);
        // What the hypervisor did to domains (seeds/000): crashes by failed IOMMU calls, pages left disagreeing in running ones.
        json.WriteNumber("domainsCrashed", report.Migrations.Count(m => m.DomainCrashed));
        json.WriteNumber("iommuDisagreements", report.Migrations.Sum(m => m.IommuDisagreements));
        // What the Device-TLB flushes cost and risked (seeds/004, seeds/001).
        json.WriteNumber("cpuSpunMs", Math.Round(report.Migrations.Sum(m => m.CpuSpunMs), 3));
        json.WriteNumber("vcpuBlockedMs", Math.Round(report.Migrations.Sum(m => m.VcpusBlockedMs), 3));
        json.WriteNumber("devicesBroken", report.Migrations.Sum(m => m.DevicesBroken));
        json.WriteNumber("securityViolations", report.Migrations.Sum(m => m.SecurityViolations));
        json.WriteEndObject();
    }

    public static void WriteMigration(Utf8JsonWriter json, MigrationResult migration)
    {
        json.WriteStartObject();
        json.WriteString("domain", migration.Domain);
        json.WriteString("from", migration.From);
        json.WriteString("to", migration.To);
        json.WriteString("outcome", OutcomeNames.Of(migration.Outcome));
        if (migration.Refusal is { } refusal)
        {
            json.WriteString("refusedBy", RefuserNames.Of(refusal.By));
            json.WriteString("rule", refusal.Rule);
            json.WriteString("error", refusal.Error);
        }
        else
        {
            json.WriteNull("refusedBy");
            json.WriteNull("rule");
            json.WriteNull("error");
        }
        json.WriteString("reason", migration.Reason);
        json.WriteNumber("passes", migration.Passes);
        json.WriteNumber("pagesSent", migration.PagesSent);
        json.WriteNumber("stalePages", migration.StalePages);
        json.WriteNumber("dmaFaults", migration.DmaFaults);
        json.WriteNumber("downtimeMs", Math.Round(migration.DowntimeMs, 3));
        json.WriteNumber("totalMs", Math.Round(migration.TotalMs, 3));
        json.WriteNumber("meanRateMBps", Math.Round(migration.MeanRateBytesPerSecond / 1e6, 3));
        json.WriteNumber("minRateMBps", Math.Round(migration.MinRateBytesPerSecond / 1e6, 3));
        json.WriteNumber("iommuCalls", migration.IommuCalls);
        json.WriteNumber("iommuFailures", migration.IommuFailures);
        json.WriteNumber("iommuDisagreements", migration.IommuDisagreements);
        json.WriteBoolean("domainCrashed", migration.DomainCrashed);
        json.WriteNumber("cpuSpunMs", Math.Round(migration.CpuSpunMs, 3));
        json.WriteNumber("vcpuBlockedMs", Math.Round(migration.VcpusBlockedMs, 3));
        json.WriteNumber("devicesBroken", migration.DevicesBroken);
        json.WriteNumber("securityViolations", migration.SecurityViolations);
        json.WriteString("firstViolation", migration.FirstViolation);
        json.WriteNumber("devicesStalled", migration.DevicesStalled);
        json.WritePropertyName("replug");
        if (migration.Replug is { } replug)
        {
            json.WriteStartObject();
            json.WriteString("device", replug.Device);
            WriteRefusalFields(json, replug.Refusal);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }
        json.WriteEndObject();
    }

    public static void WriteRefusal(Utf8JsonWriter json, RefusalRecord record)
    {
        json.WriteStartObject();
        json.WriteNumber("timeMs", Math.Round(record.TimeMs, 3));
        json.WriteString("host", record.HostName);
        if (record.Domain is { } domain) json.WriteString("domain", domain);
        else json.WriteNull("domain");
        if (record.Device is { } device) json.WriteString("device", device);
        else json.WriteNull("device");
        if (record.Migration is { } index) json.WriteNumber("migration", index);
        else json.WriteNull("migration");
        WriteRefusalFields(json, record.Refusal);
        json.WriteEndObject();
    }

    private static void WriteRefusalFields(Utf8JsonWriter json, Refusal refusal)
    {
        json.WriteString("refusedBy", RefuserNames.Of(refusal.By));
        json.WriteString("rule", refusal.Rule);
        json.WriteString("error", refusal.Error);
        json.WriteString("reason", refusal.Reason);
    }

    public static void WriteSummary(Utf8JsonWriter json, RunSummary summary)
    {
        json.WriteStartObject();
        json.WriteNumber("migrations", summary.Migrations);
        json.WriteNumber("completed", summary.Completed);
        json.WriteNumber("corrupted", summary.Corrupted);
        json.WriteNumber("faulted", summary.Faulted);
        json.WriteNumber("vetoed", summary.Vetoed);
        json.WriteNumber("needlessVetoes", summary.NeedlessVetoes);
        json.WriteNumber("aborted", summary.Aborted);
        json.WriteNumber("failed", summary.Failed);
        json.WriteNumber("stalePages", summary.StalePages);
        json.WriteNumber("dmaFaults", summary.DmaFaults);
        json.WriteNumber("meanDowntimeMs", Math.Round(summary.MeanDowntimeMs, 3));
        json.WriteNumber("meanTotalMs", Math.Round(summary.MeanTotalMs, 3));
        json.WriteEndObject();
    }
}
