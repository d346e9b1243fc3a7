using System.Text.Json;
using System.Text.RegularExpressions;

namespace Migration.Cli.Tests;

/// <summary>The invalidation modes on the command line: `modes`, `--iotlb-mode`, `--flush`, `experiment --iotlb-modes`.</summary>
public class InvalidationCommandTests
{
    private const string Scenario = "ats-slow-flush";

    [Test]
    public void Modes_ListsEachMode_WithTheXenVersionsOrThreadItComesFrom()
    {
        var (exitCode, output, _) = CliRunner.Run("modes");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Match(@"(?m)^spin\s+Xen 4\.16 and later \(XSA-373\)"));
        Assert.That(output, Does.Match(@"(?m)^timeout\s+Xen 4\.8 to 4\.15"));
        Assert.That(output, Does.Match(@"(?m)^async-hold\s+seeds/004"));
        Assert.That(output, Does.Match(@"(?m)^deferred\s+seeds/001"));
    }

    [Test]
    public void Experiment_OverTheModes_GivesOneRowPerMode_ThroughWorkerProcesses()
    {
        using var temp = new TempDirectory();
        var (exitCode, output, error) = CliRunner.Run("experiment", "--scenario", Scenario, "--policies", "external-dirty", "--seeds", "1",
            "--iotlb-modes", "spin,timeout,async-hold,deferred", "--parallel", "2", "--out", temp.File("out"), "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(error, Does.Contain("4 invalidation modes x 1 policies x 1 seeds = 4 runs"));
        var rows = output.Split('\n').Where(l => l.Contains("external-dirty", StringComparison.Ordinal)).ToArray();
        Assert.That(rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]), Is.EqualTo(new[] { "spin", "timeout", "async-hold", "deferred" }), output);

        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("out/experiment.json")));
        var totals = json.RootElement.GetProperty("runs").EnumerateArray()
            .ToDictionary(r => r.GetProperty("iotlbMode").GetString()!, r => (
                Crashed: r.GetProperty("domainsCrashed").GetInt32(), Broken: r.GetProperty("devicesBroken").GetInt32(),
                Violations: r.GetProperty("securityViolations").GetInt64(), Spun: r.GetProperty("cpuSpunMs").GetDouble(), Blocked: r.GetProperty("vcpuBlockedMs").GetDouble()));
        Assert.That(totals["spin"].Spun, Is.GreaterThan(0), "spin loses CPU time");
        Assert.That((totals["timeout"].Crashed, totals["timeout"].Broken), Is.EqualTo((1, 1)), "timeout crashes the guest and breaks the slow device");
        Assert.That((totals["async-hold"].Crashed, totals["async-hold"].Broken, totals["async-hold"].Violations, totals["async-hold"].Spun), Is.EqualTo((0, 0, 0L, 0.0)));
        Assert.That(totals["async-hold"].Blocked, Is.GreaterThan(0));
        Assert.That(totals["deferred"].Violations, Is.GreaterThan(0), "deferred flushes let devices reach freed pages");
        Assert.That(totals.Where(t => t.Key != "deferred").Select(t => t.Value.Violations), Is.All.Zero);

        var csv = File.ReadAllLines(temp.File("out/experiment.csv"));
        Assert.That(csv.Skip(1).Select(r => r.Split(',')[18]).Distinct(), Is.EqualTo(new[] { "spin", "timeout", "async-hold", "deferred" }));
    }

    [Test]
    public void Run_UnderAModeAndFlush_JournalsARunThatReplaysExactly()
    {
        using var temp = new TempDirectory();
        var run = CliRunner.Run("run", "--scenario", Scenario, "--policy", "external-dirty", "--iotlb-mode", "deferred", "--flush", "2s", "--journal", temp.Journal);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
        Assert.That(run.Output, Does.Contain("security violation(s); first: 0000:03:00.0"));
        var runId = Regex.Match(run.Error, @"journaled as (\S+)").Groups[1].Value;
        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--run", runId, "--verify");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), output + error);
        Assert.That(output, Does.Contain("divergences:     0"));
        var timeline = CliRunner.Run("replay", "--journal", temp.Journal, "--run", runId, "--domain", "storage");
        Assert.That(timeline.Output, Does.Contain("DMA transaction(s) of 0000:03:00.0 reached pages that had left the domain (freed or transferred) through stale Device-TLB entries"));
    }

    [Test]
    public void ATimedOutFlush_AndAFailedIommuCall_AreInTheDomainsTimeline()
    {
        using var temp = new TempDirectory();
        var run = CliRunner.Run("run", "--scenario", Scenario, "--policy", "external-dirty", "--iotlb-mode", "timeout", "--journal", temp.Journal);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
        var timeline = CliRunner.Run("replay", "--journal", temp.Journal, "--domain", "storage");
        Assert.That(timeline.Output, Does.Contain("Device-TLB flush of 0000:03:00.0 timed out (1 s): Xen marked the device(s) broken"));
        var failures = CliRunner.Run("run", "--scenario", "iommu-map-failures", "--journal", temp.Journal);
        Assert.That(failures.ExitCode, Is.EqualTo(ExitCodes.Ok), failures.Error);
        var web = CliRunner.Run("replay", "--journal", temp.Journal, "--domain", "web");
        Assert.That(web.Output, Does.Contain("IOMMU call 40 failed: __gnttab_unmap_common() could not unmap gfn"));
    }

    [Test]
    public void AnUnknownMode_IsBadInput_ListingTheModes()
    {
        var (exitCode, _, error) = CliRunner.Run("run", "--scenario", Scenario, "--iotlb-mode", "lazy", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("--iotlb-mode: unknown invalidation mode 'lazy' (valid: spin, timeout, async-hold, deferred)"));
    }

    [Test]
    public void AFlushPastTheAtsLimit_IsBadInput()
    {
        var (exitCode, _, error) = CliRunner.Run("run", "--scenario", Scenario, "--flush", "2min", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("--flush: 2min is outside 0 to 60 s"));
    }

    [Test]
    public void AModeNamedTwice_OrBothModeOptions_AreBadInput()
    {
        var twice = CliRunner.Run("experiment", "--scenario", Scenario, "--iotlb-modes", "spin,spin", "--no-journal");
        Assert.That((twice.ExitCode, twice.Error), Is.EqualTo((ExitCodes.BadInput, twice.Error)));
        Assert.That(twice.Error, Does.Contain("--iotlb-modes: 'spin' is named twice"));
        using var temp = new TempDirectory();
        var both = CliRunner.Run("experiment", "--scenario", Scenario, "--iotlb-modes", "spin", "--iotlb-mode", "timeout", "--out", temp.File("out"), "--no-journal");
        Assert.That(both.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(both.Error, Does.Contain("--iotlb-mode and --iotlb-modes: give one or the other"));
    }

    [Test]
    public void AFaultStorm_IsRateLimitedInTheLog_AndCountedInTheTimeline()
    {
        using var temp = new TempDirectory();
        var run = CliRunner.Run("run", "--scenario", "shared-vs-separate", "--policy", "toolstack-decides", "--journal", temp.Journal);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
        var timeline = CliRunner.Run("replay", "--journal", temp.Journal, "--domain", "shared-guest").Output;
        var storm = Regex.Match(timeline, @"IOMMU faulted ([\d,]+) DMA write\(s\) of \S+ \(write-protected shared tables\): ([\d,]+) logged, ([\d,]+) dropped by the log's rate limit");
        Assert.That(storm.Success, Is.True, timeline);
        long N(int group) => long.Parse(storm.Groups[group].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(N(2) + N(3), Is.EqualTo(N(1)));
        Assert.That(N(3), Is.GreaterThan(N(2)), "a storm: most messages dropped");
    }
}
