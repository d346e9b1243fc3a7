using System.Text.Json;
using System.Text.RegularExpressions;

namespace Migration.Cli.Tests;

/// <summary>`runs` and `replay`, over one journal holding one run of thread-arguments (seed 1, has-devices).</summary>
public class JournalCommandTests
{
    private TempDirectory temp = null!;
    private string runId = null!;
    private string resultHash = null!;
    private JsonElement[] migrations = null!;
    private JsonElement[] refusals = null!;

    [OneTimeSetUp]
    public void RunOnce()
    {
        temp = new TempDirectory();
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", "thread-arguments", "--json", "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var json = JsonDocument.Parse(output);
        runId = json.RootElement.GetProperty("runId").GetString()!;
        resultHash = json.RootElement.GetProperty("resultHash").GetString()!;
        migrations = json.RootElement.GetProperty("migrations").EnumerateArray().Select(m => m.Clone()).ToArray();
        refusals = json.RootElement.GetProperty("refusals").EnumerateArray().Select(r => r.Clone()).ToArray();
    }

    [OneTimeTearDown]
    public void RemoveJournal() => temp.Dispose();

    [Test]
    public void Runs_ListsTheStoredRun_WithItsStatusSeedAndHash()
    {
        var (exitCode, output, error) = CliRunner.Run("runs", "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        var line = output.Split('\n').Single(l => l.StartsWith(runId, StringComparison.Ordinal));
        Assert.That(line, Does.Contain("completed").And.Contain(resultHash).And.Contain("thread-arguments under has-devices, seed 1"));
        Assert.That(line, Does.Match(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"), "started, in UTC");
    }

    [Test]
    public void Replay_WithoutFlags_PrintsTheNewestRunsMigrationsAsStored()
    {
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Does.Contain(runId));
        foreach (var migration in migrations)
        {
            var domain = migration.GetProperty("domain").GetString()!;
            var outcome = migration.GetProperty("outcome").GetString()!;
            Assert.That(output, Does.Match($@"(?m)^{Regex.Escape(domain)}\s+\S+\s+\S+\s+{Regex.Escape(outcome)}\s"), $"{domain} is {outcome} in the journal as in the report");
        }
    }

    [Test]
    public void Replay_WithoutFlags_PrintsTheRunsRefusals_AsTheReportListsThem()
    {
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(refusals, Is.Not.Empty, "thread-arguments under has-devices refuses log-dirty for the domains with devices");
        Assert.That(output, Does.Contain($"refusals ({refusals.Length}):"));
        var lines = output.Split('\n').SkipWhile(l => !l.StartsWith("refusals (", StringComparison.Ordinal)).Skip(2).Take(refusals.Length).ToArray();
        for (var i = 0; i < refusals.Length; i++)
        {
            var r = refusals[i];
            Assert.That(lines[i], Does.Contain(r.GetProperty("domain").GetString()!).And.Contain(r.GetProperty("rule").GetString()!)
                .And.Contain(r.GetProperty("error").GetString()!).And.Contain(r.GetProperty("host").GetString()!), $"refusal {i}, in the report's order");
        }
    }

    [Test]
    public void ReplayVerify_ReExecutesTheRun_AndExitsZeroWhenEverythingMatches()
    {
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--run", runId, "--verify");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), output + error);
        Assert.That(output, Does.Contain($"stored hash:     {resultHash}").And.Contain($"recomputed hash: {resultHash}"));
        Assert.That(output, Does.Contain("divergences:     0").And.Contain("verified: the run reproduces exactly"));
        var verified = int.Parse(Regex.Match(output, @"events verified: ([\d,]+)").Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(verified, Is.GreaterThan(0));
    }

    [Test]
    public void ReplayDomain_PrintsEachPass_AndTheVerdict()
    {
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--domain", "busy");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Does.Match(@"\d+\.\d{6} s  domain created on amd-1"));
        Assert.That(output, Does.Match(@"pass 0: 262,144 pages sent in [\d.]+ ms at [\d.]+ MB/s \(\d+ stream\(s\) leaving the source, \d+ entering the destination\); meanwhile dirtied [\d,]+ by CPU, [\d,]+ by DMA, [\d,]+ reported by an emulator; [\d,]+ DMA faults"));
        Assert.That(output, Does.Contain("final pass").And.Contain("paused on amd-1").And.Contain("resumed on spare"));
        Assert.That(output, Does.Match(@"verdict of migration 8: completed: \d+ passes, [\d,]+ pages sent, 0 stale pages, 0 DMA faults, downtime [\d.]+ ms, total [\d.]+ ms, [\d.]+ MB/s mean, [\d.]+ MB/s slowest pass"));
    }

    [Test]
    public void ReplayDomain_OfAVetoedMigration_SaysWhoRefusedAndWhy()
    {
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--domain", "nic-shared");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Does.Contain("hypervisor refused (log-dirty/has-devices, -EINVAL) in migration 1: enabling global log-dirty refused"));
        Assert.That(output, Does.Contain("vetoed (refused by hypervisor, log-dirty/has-devices, -EINVAL)"));
        Assert.That(output, Does.Contain("verdict of migration 1: vetoed"));
    }

    [Test]
    public void ReplayVerifyAndDomain_Together_PrintBoth()
    {
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--verify", "--domain", "iommu-only");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Does.Contain("verified: the run reproduces exactly").And.Contain("timeline of domain iommu-only").And.Contain("verdict of migration 0"));
    }

    [Test]
    public void ReplayDomain_Unknown_IsBadInput_NamingTheRunsDomains()
    {
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--domain", "nobody");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("'nobody'"));
        Assert.That(error, Does.Contain("bme-off, busy, declared-reader, emulated, iommu-only, nic-separate, nic-shared, reader, replugged"));
    }

    [Test]
    public void Replay_UnknownRun_IsBadInput_PointingAtTheRunsCommand()
    {
        var (exitCode, _, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--run", "no-such-run");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("no run 'no-such-run'").And.Contain("migration runs"));
    }

    [Test]
    public void Replay_OfAJournalThatDoesNotExist_IsBadInput_AndCreatesNoFile()
    {
        using var empty = new TempDirectory();
        var (exitCode, _, error) = CliRunner.Run("replay", "--journal", empty.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("there is no journal at"));
        Assert.That(File.Exists(empty.File("journal.db")), Is.False, "reading never creates a journal");
    }

    [Test]
    public void Replay_OfAnEmptyJournal_IsBadInput_SayingItHoldsNoRuns()
    {
        using var empty = new TempDirectory();
        Migration.Persistence.JournalUri.Open(empty.Journal).Dispose();
        var (exitCode, _, error) = CliRunner.Run("replay", "--journal", empty.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("holds no runs"));
    }
}
