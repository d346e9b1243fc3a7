using System.Globalization;
using System.Text;
using System.Text.Json;
using Migration.Cli.Output;
using Migration.Simulation.Reports;
using Migration.Xen;
using Migration.Xen.Oracle;

namespace Migration.Cli.Experiments;

/// <summary>
/// An experiment's files: <c>experiment.csv</c> (one record per policy, seed and migration) and
/// <c>experiment.json</c> (the scenario, each policy's totals, and every run's JSON report).
/// </summary>
internal static class ExperimentFiles
{
    public const string CsvName = "experiment.csv";
    public const string JsonName = "experiment.json";

    public static readonly IReadOnlyList<string> CsvHeader =
    [
        "policy", "seed", "domain", "from", "to", "outcome", "refusedBy", "rule", "passes", "pagesSent", "stalePages", "dmaFaults",
        "downtimeMs", "totalMs", "resultHash", "error", "meanRateMBps", "minRateMBps",
        "iotlbMode", "domainCrashed", "devicesBroken", "securityViolations", "cpuSpunMs", "vcpuBlockedMs",
    ];

    /// <summary>The default directory, relative to the current one: <c>runs/experiments/SCENARIO-yyyyMMdd-HHmmss</c> (wall clock: metadata).</summary>
    public static string DefaultDirectory(string scenario, DateTimeOffset now)
    {
        var stem = Path.Combine("runs", "experiments", $"{scenario}-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        var directory = stem;
        for (var suffix = 2; Directory.Exists(directory); suffix++) directory = $"{stem}-{suffix}";
        return directory;
    }

    public static void WriteCsv(string path, IReadOnlyList<RunReport> reports)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Csv.WriteRecord(writer, CsvHeader);
        foreach (var report in reports)
        {
            foreach (var m in report.Migrations)
            {
                Csv.WriteRecord(writer,
                [
                    report.Policy, report.Seed.ToString(CultureInfo.InvariantCulture), m.Domain, m.From, m.To, OutcomeNames.Of(m.Outcome),
                    m.Refusal is { } refusal ? RefuserNames.Of(refusal.By) : "", m.Refusal?.Rule ?? "",
                    Number(m.Passes), Number(m.PagesSent), Number(m.StalePages), Number(m.DmaFaults),
                    Milliseconds(m.DowntimeMs), Milliseconds(m.TotalMs), report.ResultHash, m.Refusal?.Error ?? "",
                    Rate(m.MeanRateBytesPerSecond), Rate(m.MinRateBytesPerSecond),
                    report.Invalidation ?? "", m.DomainCrashed ? "true" : "false", Number(m.DevicesBroken), Number(m.SecurityViolations),
                    Milliseconds(m.CpuSpunMs), Milliseconds(m.VcpusBlockedMs),
                ]);
            }
        }
    }

    public static void WriteJson(string path, ExperimentPlan plan, IReadOnlyList<RunReport> reports)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("scenario", plan.Scenario.Scenario.Name);
        json.WriteString("toolstack", plan.Base.Toolstack is { } toolstack ? Names.Of(toolstack) : "per-host");
        // What the command line replaced of the scenario's Device-TLB flushes, where it did.
        if (plan.Modes is { } modes)
        {
            json.WritePropertyName("iotlbModes");
            json.WriteStartArray();
            foreach (var mode in modes) json.WriteStringValue(Names.Of(mode));
            json.WriteEndArray();
        }
        else if (plan.Base.Invalidation is { } mode) json.WriteString("iotlbMode", Names.Of(mode));
        if (plan.Base.Flush is { } flush) json.WriteNumber("flushMs", flush.TotalMilliseconds);
        if (plan.Base.Altp2m is { } rules) json.WriteString("altp2m", Names.Of(rules));
        var sharing = reports.Any(r => r.Altp2m is not null || r.Findings.Count > 0);
        json.WritePropertyName("seeds");
        json.WriteStartArray();
        foreach (var seed in plan.Seeds) json.WriteNumberValue(seed);
        json.WriteEndArray();
        json.WritePropertyName("policies");
        json.WriteStartArray();
        foreach (var totals in PolicyTotals.Of(reports))
        {
            json.WriteStartObject();
            json.WriteString("policy", totals.Policy);
            if (totals.Invalidation is { } mode) json.WriteString("iotlbMode", mode);
            json.WriteNumber("runs", totals.Runs);
            json.WritePropertyName("summary");
            ReportJson.WriteSummary(json, totals.Summary);
            if (sharing) json.WriteNumber("findings", totals.Findings);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WritePropertyName("runs");
        json.WriteStartArray();
        foreach (var report in reports) ReportJson.WriteReport(json, report);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Milliseconds(double ms) => Math.Round(ms, 3).ToString(CultureInfo.InvariantCulture);

    /// <summary>Bytes per second as MB/s (10^6 bytes), as the JSON report gives them.</summary>
    private static string Rate(double bytesPerSecond) => Math.Round(bytesPerSecond / 1e6, 3).ToString(CultureInfo.InvariantCulture);
}
