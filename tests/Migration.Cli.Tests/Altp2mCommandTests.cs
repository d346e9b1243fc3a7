using System.Text.Json;
using System.Text.RegularExpressions;

namespace Migration.Cli.Tests;

/// <summary>The altp2m sharing rules on the command line: `modes`, `--altp2m`, the oracle's findings in `run` and `replay`.</summary>
public class Altp2mCommandTests
{
    private const string Scenario = "altp2m-sharing";

    [Test]
    public void Modes_ListsTheAltp2mRules_WithWhereEachComesFrom()
    {
        var (exitCode, output, _) = CliRunner.Run("modes");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Match(@"(?m)^xen\s+Xen 4\.8 to today \(653948018a\)"));
        Assert.That(output, Does.Match(@"(?m)^patch-v4\s+seeds/003"));
    }

    [Test]
    public void Run_UnderThePatch_PrintsTheFindings_AndJournalsThemForReplay()
    {
        using var temp = new TempDirectory();
        var run = CliRunner.Run("run", "--scenario", Scenario, "--altp2m", "patch-v4", "--journal", temp.Journal);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
        Assert.That(run.Output, Does.Contain("oracle findings (2):"));
        Assert.That(run.Output, Does.Match(@"host-a\s+watched\s+stale-view\s+view 1 of watched maps gfn 0x300 .*\(it is free\); found when clone left host-a"));
        var runId = Regex.Match(run.Error, @"journaled as (\S+)").Groups[1].Value;
        Assert.That(CliRunner.Run("runs", "--journal", temp.Journal).Output, Does.Contain("altp2m patch-v4"));

        var replay = CliRunner.Run("replay", "--journal", temp.Journal, "--run", runId);
        Assert.That(replay.Output, Does.Contain("oracle findings (2):"), replay.Error);
        var verify = CliRunner.Run("replay", "--journal", temp.Journal, "--run", runId, "--verify");
        Assert.That(verify.ExitCode, Is.EqualTo(ExitCodes.Ok), verify.Output + verify.Error);
        Assert.That(verify.Output, Does.Contain("divergences:     0"));
        var timeline = CliRunner.Run("replay", "--journal", temp.Journal, "--run", runId, "--domain", "watched").Output;
        Assert.That(timeline, Does.Contain("hypervisor refused (mem-sharing/nominate, -E2BIG)"));
        Assert.That(timeline, Does.Contain("oracle (stale-view) on host-a"));
    }

    [Test]
    public void Run_UnderXensRules_FindsNothing_AndSaysWhichRules()
    {
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", Scenario, "--json", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("altp2m").GetString(), Is.EqualTo("xen"));
        Assert.That(json.RootElement.GetProperty("findings").GetArrayLength(), Is.Zero);
        var rules = json.RootElement.GetProperty("refusals").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).ToArray();
        Assert.That(rules, Is.EqualTo(new[] { "mem-sharing/nominate", "altp2m/change-gfn", "mem-sharing/nominate", "altp2m/no-view" }));
    }

    [Test]
    public void Experiment_UnderThePatch_CountsTheOraclesFindings_ThroughWorkerProcesses()
    {
        using var temp = new TempDirectory();
        var (exitCode, output, error) = CliRunner.Run("experiment", "--scenario", Scenario, "--altp2m", "patch-v4", "--policies", "has-devices,toolstack-decides",
            "--seeds", "1-2", "--parallel", "2", "--out", temp.File("out"), "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Does.Match(@"(?m)^policy\s.*\soracle findings$"));
        Assert.That(output, Does.Match(@"(?m)^has-devices\s.*\s4$"), "2 findings in each of 2 runs: the stale view, then the same view once its frame is free");
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("out/experiment.json")));
        Assert.That(json.RootElement.GetProperty("altp2m").GetString(), Is.EqualTo("patch-v4"));
        Assert.That(json.RootElement.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("findings").GetInt32()), Is.All.EqualTo(4));
    }

    [Test]
    public void UnknownRules_AreBadInput_ListingThem()
    {
        var (exitCode, _, error) = CliRunner.Run("run", "--scenario", Scenario, "--altp2m", "v5", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("--altp2m: unknown altp2m sharing mode 'v5' (valid: xen, patch-v4)"));
    }
}
