using System.Text.Json;

namespace Migration.Cli.Tests;

public class RunCommandTests
{
    private static readonly string[] ReportFields = ["scenario", "policy", "toolstack", "seed", "resultHash", "runId", "migrations", "refusals", "summary"];

    private static readonly string[] MigrationFields =
    [
        "domain", "from", "to", "outcome", "refusedBy", "rule", "error", "reason", "passes", "pagesSent", "stalePages", "dmaFaults", "downtimeMs", "totalMs",
        "replug",
    ];

    private static readonly string[] RefusalFields = ["timeMs", "host", "domain", "device", "migration", "refusedBy", "rule", "error", "reason"];

    private static readonly string[] SummaryFields =
    [
        "migrations", "completed", "corrupted", "faulted", "vetoed", "needlessVetoes", "aborted", "failed", "stalePages", "dmaFaults",
        "meanDowntimeMs", "meanTotalMs",
    ];

    [Test]
    public void RunJson_PrintsOnlyTheReport_WithTheDocumentedFields()
    {
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", "xl-vs-xapi", "--json", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.SupersetOf(ReportFields));
        Assert.That(root.GetProperty("scenario").GetString(), Is.EqualTo("xl-vs-xapi"));
        Assert.That(root.GetProperty("policy").GetString(), Is.EqualTo("has-devices"), "the default policy is today's Xen");
        Assert.That(root.GetProperty("toolstack").GetString(), Is.EqualTo("per-host"));
        Assert.That(root.GetProperty("seed").GetUInt64(), Is.EqualTo(1));
        Assert.That(root.GetProperty("resultHash").GetString(), Does.Match("^[0-9a-f]{16}$"));
        Assert.That(root.GetProperty("runId").ValueKind, Is.EqualTo(JsonValueKind.Null), "--no-journal writes no run");
        var migrations = root.GetProperty("migrations").EnumerateArray().ToArray();
        Assert.That(migrations.Select(m => m.GetProperty("domain").GetString()), Is.EqualTo(new[] { "xl-guest", "xapi-guest" }));
        foreach (var migration in migrations) Assert.That(migration.EnumerateObject().Select(p => p.Name), Is.SupersetOf(MigrationFields));
        Assert.That(migrations[1].GetProperty("refusedBy").GetString(), Is.EqualTo("source-toolstack"), "XAPI refuses a domain with a device");
        Assert.That(migrations[1].GetProperty("error").GetString(), Is.EqualTo("VM_HAS_PCI_ATTACHED"), "XAPI's own error code");
        Assert.That(migrations[0].GetProperty("error").GetString(), Is.EqualTo("-EINVAL"), "the hypervisor's log-dirty veto");
        var refusals = root.GetProperty("refusals").EnumerateArray().ToArray();
        Assert.That(refusals, Has.Length.EqualTo(2), "the run's two refusals, each also in its migration's row");
        foreach (var refusal in refusals) Assert.That(refusal.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(RefusalFields));
        Assert.That(refusals.Select(r => r.GetProperty("domain").GetString()), Is.EqualTo(new[] { "xapi-guest", "xl-guest" }), "by time: XAPI refuses at once");
        Assert.That(refusals[0].GetProperty("rule").GetString(), Is.EqualTo("VM_HAS_PCI_ATTACHED"));
        Assert.That(refusals[0].GetProperty("migration").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("summary").EnumerateObject().Select(p => p.Name), Is.SupersetOf(SummaryFields));
        Assert.That(root.GetProperty("summary").GetProperty("migrations").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public void TheSameRunTwice_GivesTheSameResultHash_AndAnotherSeedAnother()
    {
        var first = HashOf("run", "--scenario", "thread-arguments", "--seed", "7", "--json", "--no-journal");
        var again = HashOf("run", "--scenario", "thread-arguments", "--seed", "7", "--json", "--no-journal");
        var otherSeed = HashOf("run", "--scenario", "thread-arguments", "--seed", "8", "--json", "--no-journal");
        Assert.That(again, Is.EqualTo(first));
        Assert.That(otherSeed, Is.Not.EqualTo(first));
    }

    [Test]
    public void Run_WithoutJson_PrintsTheTable_TheHashAndTheRunId_AndSaysWhereTheJournalWent()
    {
        using var temp = new TempDirectory();
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", "xl-vs-xapi", "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Does.Contain("domain").And.Contain("refused by").And.Contain("downtime ms"));
        Assert.That(output, Does.Contain("xapi-guest").And.Contain("VM_HAS_PCI_ATTACHED"));
        Assert.That(output, Does.Contain("refusals (2):"), "the refusals are listed under the migrations");
        Assert.That(output, Does.Match(@"(?m)^\s*1000\.\d\s+xapi-\S+\s+xapi-guest\s+-\s+source-toolstack\s+VM_HAS_PCI_ATTACHED\s+VM_HAS_PCI_ATTACHED\s+XAPI refuses"));
        Assert.That(output, Does.Match(@"result hash: [0-9a-f]{16}"));
        var runId = System.Text.RegularExpressions.Regex.Match(output, @"run id: (\S+)").Groups[1].Value;
        Assert.That(runId, Does.Match(@"^\d{8}-\d{6}-xl-vs-xapi-has-devices-s1$"));
        Assert.That(error, Does.Contain($"journaled as {runId} in {temp.Journal}").And.Contain($"migration replay --journal '{temp.Journal}' --run {runId}"));
        Assert.That(output, Does.Not.Contain("journaled"), "messages for people go to stderr");
    }

    [Test]
    public void Run_UnknownPolicy_IsBadInput_ListingTheValidPolicies()
    {
        var (exitCode, output, error) = CliRunner.Run("run", "--policy", "nonsense", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("unknown policy 'nonsense'").And.Contain("has-devices").And.Contain("toolstack-decides").And.Contain("bus-master"));
        Assert.That(error, Does.Not.Contain(" at "), "no stack trace");
    }

    [Test]
    public void Run_UnknownToolstack_IsBadInput_ListingTheValidToolstacks()
    {
        var (exitCode, _, error) = CliRunner.Run("run", "--toolstack", "libvirt", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("'libvirt'").And.Contain("xl, xapi, device-aware"));
    }

    [Test]
    public void Run_UnknownScenario_IsBadInput_ListingTheBuiltIns()
    {
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", "no-such", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("'no-such'").And.Contain("thread-arguments").And.Contain("xl-vs-xapi"));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), "one clear message");
    }

    [Test]
    public void Run_ScenarioFileWithAnUnknownKey_IsBadInput_NamingTheFileAndLine()
    {
        using var temp = new TempDirectory();
        var path = temp.File("broken.yaml");
        File.WriteAllText(path, "hosts:\n  - { name: a, memory: 1GiB }\nbogus: 1\n");
        var (exitCode, _, error) = CliRunner.Run("run", "--scenario", path, "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain($"{path}:3:").And.Contain("bogus"));
    }

    [Test]
    public void Run_ScenarioWithPopulateOnDemandAndPassthrough_IsBadInput_AsLibxlRefusesToCreateIt()
    {
        using var temp = new TempDirectory();
        var path = temp.File("pod.yaml");
        File.WriteAllText(path, """
            hosts:
              - { name: a, memory: 4GiB }
            domains:
              - { name: guest, host: a, memory: 1GiB, populate-on-demand: true }
            devices:
              - { bdf: "0000:01:00.0", host: a, domain: guest }
            """);
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", path, "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain($"{path}:4: domains[0].populate-on-demand: libxl refuses to create a domain with populate-on-demand and PCI passthrough"));
    }

    [Test]
    public void Run_ScenarioFile_RunsIt_UnderTheFilesName()
    {
        using var temp = new TempDirectory();
        var path = temp.File("my copy.yaml");
        File.WriteAllText(path, ReadBuiltIn("xl-vs-xapi"));
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", path, "--json", "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("migrations").GetArrayLength(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("runId").GetString(), Does.Match(@"^[A-Za-z0-9_.-]+$"), "a run id needs no quoting, whatever the file is called");
    }

    [Test]
    public void Run_BadJournalUri_IsBadInput_SayingWhatAJournalUriLooksLike()
    {
        var (exitCode, _, error) = CliRunner.Run("run", "--journal", "mysql:db");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("sqlite:").And.Contain("postgres:"));
    }

    [Test]
    public void Run_JournalAndNoJournalTogether_IsBadInput()
    {
        var (exitCode, _, error) = CliRunner.Run("run", "--journal", "sqlite:x.db", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("--journal and --no-journal"));
    }

    [Test]
    public void Run_MalformedSeed_IsBadInput()
    {
        var (exitCode, _, error) = CliRunner.Run("run", "--seed", "-3", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("-3"));
    }

    private static string HashOf(params string[] args)
    {
        var (exitCode, output, error) = CliRunner.Run(args);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("resultHash").GetString()!;
    }

    private static string ReadBuiltIn(string name) => Migration.Scenarios.ScenarioCatalog.BuiltInText(name);
}
