using System.Text.Json;

namespace Migration.Cli.Tests;

public class ExperimentCommandTests
{
    /// <summary>The thread-arguments scenario schedules nine migrations.</summary>
    private const int ThreadArgumentsMigrations = 9;

    [Test]
    public void Experiment_TwoPoliciesTwoSeeds_WritesACsvRecordPerMigration_AndTheJsonReports()
    {
        using var temp = new TempDirectory();
        var outDirectory = temp.File("out");
        var (exitCode, output, error) = CliRunner.Run(
            "experiment", "--policies", "has-devices,toolstack-decides", "--seeds", "1-2", "--out", outDirectory, "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);

        var records = File.ReadAllText(Path.Combine(outDirectory, "experiment.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(records[0], Is.EqualTo("policy,seed,domain,from,to,outcome,refusedBy,rule,passes,pagesSent,stalePages,dmaFaults,downtimeMs,totalMs,resultHash,error,meanRateMBps,minRateMBps,iotlbMode,domainCrashed,devicesBroken,securityViolations,cpuSpunMs,vcpuBlockedMs"));
        Assert.That(records, Has.Length.EqualTo(1 + 2 * 2 * ThreadArgumentsMigrations));
        Assert.That(records.Skip(1).Select(r => r.Split(',')[0]).Distinct(), Is.EqualTo(new[] { "has-devices", "toolstack-decides" }));
        Assert.That(records.Skip(1).Select(r => r.Split(',')[1]).Distinct(), Is.EqualTo(new[] { "1", "2" }));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDirectory, "experiment.json")));
        var root = json.RootElement;
        Assert.That(root.GetProperty("scenario").GetString(), Is.EqualTo("thread-arguments"));
        var policies = root.GetProperty("policies").EnumerateArray().ToArray();
        Assert.That(policies.Select(p => p.GetProperty("policy").GetString()), Is.EqualTo(new[] { "has-devices", "toolstack-decides" }));
        Assert.That(policies.Select(p => p.GetProperty("summary").GetProperty("migrations").GetInt32()), Is.All.EqualTo(2 * ThreadArgumentsMigrations));
        var runs = root.GetProperty("runs").EnumerateArray().ToArray();
        Assert.That(runs, Has.Length.EqualTo(4));
        Assert.That(runs.Select(r => r.GetProperty("runId").GetString()), Is.Unique.And.All.Not.Null, "every run is journaled under its own id");

        Assert.That(output, Does.Contain("has-devices").And.Contain("toolstack-decides").And.Contain("needless vetoes").And.Contain("mean downtime ms"));
        Assert.That(error, Does.Contain(outDirectory).And.Contain("journaled 4 runs"));
        Assert.That(error, Does.Contain("experiment: has-devices done").And.Contain("experiment: toolstack-decides done"), "one line per policy when not interactive");
    }

    [Test]
    public void Experiment_OnSeveralWorkerProcesses_WritesTheSameBytes_AsOnOne()
    {
        using var temp = new TempDirectory();
        string[] Args(int workers) =>
            ["experiment", "--policies", "iommu-enabled,has-devices,toolstack-decides", "--seeds", "1-3", "--parallel", workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--out", temp.File($"out-{workers}"), "--no-journal"];
        var one = CliRunner.Run(Args(1));
        var three = CliRunner.Run(Args(3));
        Assert.That(one.ExitCode, Is.EqualTo(ExitCodes.Ok), one.Error);
        Assert.That(three.ExitCode, Is.EqualTo(ExitCodes.Ok), three.Error);
        Assert.That(three.Error, Does.Contain("9 runs, 3 at a time"));
        Assert.That(three.Output, Is.EqualTo(one.Output), "the totals");
        foreach (var file in new[] { "experiment.csv", "experiment.json" })
            Assert.That(File.ReadAllBytes(temp.File($"out-3/{file}")), Is.EqualTo(File.ReadAllBytes(temp.File($"out-1/{file}"))), file);
    }

    [Test]
    public void Experiment_OnWorkerProcesses_JournalsEveryRun_EachVerifiable()
    {
        using var temp = new TempDirectory();
        var (exitCode, _, error) = CliRunner.Run("experiment", "--policies", "has-devices,toolstack-decides", "--seeds", "1-2", "--parallel", "2",
            "--out", temp.File("out"), "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var store = Migration.Persistence.JournalUri.Open(temp.Journal);
        var runs = store.ReadRuns();
        Assert.That(runs, Has.Count.EqualTo(4));
        Assert.That(runs.Select(r => r.Status), Is.All.EqualTo(Migration.Persistence.Journal.RunStatus.Completed));
        foreach (var run in runs)
        {
            var verified = Migration.Simulation.Running.Simulator.Verify(store, run.RunId);
            Assert.That(verified.Matches, Is.True, $"{run.RunId}: {string.Join("; ", verified.Divergences.Take(3).Select(d => d.Message))}");
        }
    }

    [Test]
    public void Experiment_ParallelBelowOne_IsBadInput()
    {
        var (exitCode, _, error) = CliRunner.Run("experiment", "--parallel", "0", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("--parallel must be at least 1"));
    }

    [Test]
    public void Experiment_PerPolicyTotals_AreTheSumsOverTheSeeds()
    {
        using var temp = new TempDirectory();
        var (exitCode, _, error) = CliRunner.Run("experiment", "--policies", "has-devices", "--seeds", "1,3", "--out", temp.Path, "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("experiment.json")));
        var totals = json.RootElement.GetProperty("policies")[0].GetProperty("summary");
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToArray();
        Assert.That(runs.Select(r => r.GetProperty("seed").GetUInt64()), Is.EqualTo(new ulong[] { 1, 3 }));
        foreach (var field in new[] { "migrations", "completed", "vetoed", "needlessVetoes", "corrupted" })
        {
            Assert.That(totals.GetProperty(field).GetInt32(), Is.EqualTo(runs.Sum(r => r.GetProperty("summary").GetProperty(field).GetInt32())), field);
        }
    }

    [TestCase("1-x")]
    [TestCase("5-1")]
    [TestCase("1,1")]
    [TestCase("")]
    public void Experiment_MalformedSeeds_IsBadInput_NamingTheOption(string seeds)
    {
        var (exitCode, output, error) = CliRunner.Run("experiment", "--seeds", seeds, "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("--seeds"));
    }

    [Test]
    public void Experiment_UnknownPolicyInTheList_IsBadInput_ListingTheValidPolicies()
    {
        var (exitCode, _, error) = CliRunner.Run("experiment", "--policies", "has-devices,nope", "--no-journal");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("'nope'").And.Contain("external-dirty"));
    }

    [Test]
    [NonParallelizable]
    public void NoArguments_RunsTheExperimentWithItsDefaults_IntoTheCurrentDirectory()
    {
        using var temp = new TempDirectory();
        var saved = Environment.CurrentDirectory;
        Environment.CurrentDirectory = temp.Path;
        try
        {
            var (exitCode, output, error) = CliRunner.Run();
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(error, Does.Contain("running `migration experiment` with its defaults"));
            foreach (var policy in new[] { "iommu-enabled", "has-devices", "shared-pt", "bus-master", "declared-read-only", "external-dirty", "toolstack-decides" })
                Assert.That(output, Does.Contain(policy));
            var experiments = Directory.GetDirectories(Path.Combine(temp.Path, "runs", "experiments"));
            Assert.That(experiments, Has.Length.EqualTo(1));
            Assert.That(Path.GetFileName(experiments[0]), Does.Match(@"^thread-arguments-\d{8}-\d{6}$"));
            var records = File.ReadAllText(Path.Combine(experiments[0], "experiment.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.That(records, Has.Length.EqualTo(1 + 7 * 5 * ThreadArgumentsMigrations), "all policies, seeds 1-5");
            Assert.That(File.Exists(Path.Combine(temp.Path, "runs", "journal.db")), "journaled in runs/journal.db by default");
        }
        finally
        {
            Environment.CurrentDirectory = saved;
        }
    }
}
