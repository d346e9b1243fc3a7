using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using Migration.Xen.Sharing;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// seeds/003 as a host carries it out: altp2m views and mem_sharing between a host's domains, each
/// rule from the smallest scenario that reaches it, under Xen's rules and the v4 patch's, and the
/// oracle's stale-view findings, also where a migration frees the frame a view still points at.
/// </summary>
public sealed class SharingEventTests
{
    /// <summary>Two guests on host a; <c>clone</c> migrates to b at 10 s.</summary>
    private static ScenarioText TwoGuests(string events, string top = "", string hostA = "", string watchedExtra = "") => Inline($$"""
        {{top}}
        network: { bandwidth: 10Gbit/s, latency: 100us }
        hosts:
          - { name: a, memory: 16GiB{{hostA}} }
          - { name: b, memory: 16GiB }
        domains:
          - { name: watched, host: a, memory: 256MiB{{watchedExtra}} }
          - { name: clone, host: a, memory: 256MiB }
        migrations:
          - { domain: clone, to: b, at: 10s }
        events:
        {{events}}
        """);

    private static RunReport Run(ScenarioText scenario, Altp2mSharingMode? rules = null) =>
        Simulator.Run(scenario, new RunOptions { Policy = VetoPolicy.ToolstackDecides, Altp2m = rules });

    private static (string? Rule, string? Error, string? Reason)[] RefusalsOf(RunReport report) =>
        Refusals(report).Select(r => (Text(r, "rule"), Text(r, "error"), Text(r, "reason"))).ToArray();

    private const string View = "  - { kind: altp2m-view, domain: watched, at: 1s }\n";

    private const string ShareBoth = "  - { kind: share, domain: watched, gfn: 0x100, client: clone, client-gfn: 0x100, at: 2s }\n" +
                                     "  - { kind: share, domain: watched, gfn: 0x101, client: clone, client-gfn: 0x101, at: 2s }\n";

    [Test]
    public void NominatingAPageAViewMapsWithOtherAccess_FailsWithEinval()
    {
        var report = Run(TwoGuests(View + """
              - { kind: altp2m-access, domain: watched, view: 1, gfn: 0x100, access: rx, at: 1500ms }
              - { kind: share, domain: watched, gfn: 0x100, client: clone, client-gfn: 0x100, at: 2s }
            """));
        var (rule, error, reason) = RefusalsOf(report).Single();
        Assert.That((rule, error), Is.EqualTo(("mem-sharing/nominate", "-EINVAL")), $"seed {report.Seed}");
        Assert.That(reason, Does.Contain("view 1 of watched maps gfn 0x100 with another access"));
    }

    [Test]
    public void NominatingAPageAViewPointsAnotherGfnAt_FailsWithE2big()
    {
        var report = Run(TwoGuests(View + """
              - { kind: altp2m-remap, domain: watched, view: 1, gfn: 0x200, to-gfn: 0x100, at: 1500ms }
              - { kind: share, domain: watched, gfn: 0x100, client: clone, client-gfn: 0x100, at: 2s }
            """));
        var (rule, error, reason) = RefusalsOf(report).Single();
        Assert.That((rule, error), Is.EqualTo(("mem-sharing/nominate", "-E2BIG")), $"seed {report.Seed}");
        Assert.That(reason, Does.Contain("view 1 of watched points gfn 0x200 at the frame too"));
    }

    [Test]
    public void UnderXensRules_AccessThroughAView_Unshares_RemappingOntoASharedPage_Fails_AndNoViewIsStale()
    {
        var events = View + ShareBoth + """
              - { kind: altp2m-access, domain: watched, view: 1, gfn: 0x100, access: r, at: 3s }
              - { kind: altp2m-remap, domain: watched, view: 1, gfn: 0x300, to-gfn: 0x101, at: 4s }
              - { kind: unshare, domain: watched, gfn: 0x101, at: 5s }
            """;
        var report = Run(TwoGuests(events));
        var (rule, error, reason) = RefusalsOf(report).Single();
        Assert.That((rule, error), Is.EqualTo(("altp2m/change-gfn", "-EINVAL")), $"seed {report.Seed}");
        Assert.That(reason, Does.Contain("gfn 0x101 of watched is a shared page: remapping onto a shared entry fails"));
        Assert.That(report.Findings, Is.Empty, $"seed {report.Seed}: Xen's rules leave no view stale, even after the clone leaves");
        Assert.That(report.Altp2m, Is.EqualTo("xen"));
    }

    [Test]
    public void UnderThePatch_AViewRemappedOntoASharedPage_IsStaleOnceTheGuestUnsharesIt_AndPointsAtFreeMemoryOnceTheCloneLeaves()
    {
        var events = View + ShareBoth + """
              - { kind: altp2m-remap, domain: watched, view: 1, gfn: 0x300, to-gfn: 0x101, at: 4s }
              - { kind: unshare, domain: watched, gfn: 0x101, at: 5s }
            """;
        var report = Run(TwoGuests(events, top: "altp2m: patch-v4"));
        Assert.That(Refusals(report), Is.Empty, $"seed {report.Seed}: the patch lets the remap through");
        Assert.That(report.Findings.Select(f => (f.HostName, f.Domain, f.Check)), Is.EqualTo(new[] { ("a", "watched", "stale-view"), ("a", "watched", "stale-view") }),
            $"seed {report.Seed}");
        var (unshared, left) = (report.Findings[0], report.Findings[1]);
        Assert.That(unshared.Ticks, Is.EqualTo(TimeSpan.FromSeconds(5).Ticks));
        Assert.That(unshared.Description, Does.Contain("view 1 of watched maps gfn 0x300").And.Contain("now clone's gfn 0x101").And.Contain("after mem_sharing_unshare_page"));
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Completed), Describe(migration, report));
        Assert.That(left.Ticks, Is.GreaterThan(migration.StartTicks).And.LessThanOrEqualTo(migration.EndTicks), "when the clone's source copy is destroyed");
        Assert.That(left.Description, Does.Contain("(it is free)").And.Contain("when clone left a"));
        Assert.That(report.Altp2m, Is.EqualTo("patch-v4"));
    }

    [Test]
    public void TheCommandLinesRules_ReplaceTheScenarios_AndEnterTheHash()
    {
        var scenario = TwoGuests(View + ShareBoth + """
              - { kind: altp2m-remap, domain: watched, view: 1, gfn: 0x300, to-gfn: 0x101, at: 4s }
              - { kind: unshare, domain: watched, gfn: 0x101, at: 5s }
            """);
        var xen = Run(scenario);
        var patch = Run(scenario, Altp2mSharingMode.PatchV4);
        Assert.That((xen.Findings.Count, patch.Findings.Count), Is.EqualTo((0, 2)));
        Assert.That(patch.ResultHash, Is.Not.EqualTo(xen.ResultHash));
        Assert.That(Run(scenario, Altp2mSharingMode.Xen).ResultHash, Is.EqualTo(xen.ResultHash), "naming the default runs and reports the same");
    }

    [Test]
    public void ViewsDoNotMigrate_AnAccessThroughOneAfterTheHandover_IsRefused()
    {
        var report = Run(Inline("""
            network: { bandwidth: 10Gbit/s, latency: 100us }
            hosts:
              - { name: a, memory: 16GiB }
              - { name: b, memory: 16GiB }
            domains:
              - { name: watched, host: a, memory: 256MiB }
            migrations:
              - { domain: watched, to: b, at: 2s }
            events:
              - { kind: altp2m-view, domain: watched, at: 1s }
              - { kind: altp2m-access, domain: watched, view: 1, gfn: 0x10, access: rx, at: 1500ms }
              - { kind: altp2m-access, domain: watched, view: 1, gfn: 0x10, access: r, at: 20s }
            """));
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed));
        var refusal = Refusals(report).Single();
        Assert.That((Text(refusal, "host"), Text(refusal, "rule"), Text(refusal, "error")), Is.EqualTo(("b", "altp2m/no-view", "-EINVAL")), $"seed {report.Seed}");
        Assert.That(Text(refusal, "reason"), Does.Contain("watched has no view 1 on b (no views; views do not migrate with a domain)"));
    }

    [Test]
    public void SharingWithAGuestWhoseIommuIsInUse_FailsWithExdev_OnEitherSide()
    {
        var report = Run(Inline("""
            hosts:
              - { name: a, memory: 16GiB }
            domains:
              - { name: watched, host: a, memory: 256MiB }
              - { name: appliance, host: a, memory: 256MiB }
            devices:
              - { bdf: '0000:03:00.0', host: a, domain: appliance }
            migrations: []
            events:
              - { kind: share, domain: appliance, gfn: 0x1, client: watched, client-gfn: 0x1, at: 1s }
              - { kind: share, domain: watched, gfn: 0x1, client: appliance, client-gfn: 0x1, at: 2s }
            """));
        var refusals = RefusalsOf(report);
        Assert.That(refusals.Select(r => (r.Rule, r.Error)), Is.EqualTo(new[]
        {
            ("mem-sharing/iommu", "-EXDEV"),   // the memop turns sharing on for appliance first
            ("mem-sharing/iommu", "-EXDEV"),   // watched's is on; the client appliance's cannot be
        }), string.Join("; ", refusals.Select(r => r.Reason)));
        Assert.That(refusals[0].Reason, Does.Contain("enabling mem_sharing refused: device 0000:03:00.0 assigned"));
    }

    [Test]
    public void OnAnAmdHost_AltP2mAndSharing_FailWithEopnotsupp()
    {
        var report = Run(TwoGuests(View + ShareBoth, hostA: ", iommu: amd"));
        var refusals = RefusalsOf(report);
        Assert.That(refusals.Select(r => (r.Rule, r.Error)), Is.EqualTo(new[]
        {
            ("altp2m/unsupported", "-EOPNOTSUPP"), ("mem-sharing/unsupported", "-EOPNOTSUPP"), ("mem-sharing/unsupported", "-EOPNOTSUPP"),
        }), $"seed {report.Seed}");
        Assert.That(refusals[0].Reason, Does.Contain("needs Intel VT-x; host a is amd"));
    }

    [Test]
    public void SharingWithAClientOnAnotherHost_FailsWithEsrch()
    {
        var report = Run(TwoGuests("  - { kind: share, domain: watched, gfn: 0x1, client: clone, client-gfn: 0x1, at: 12s }"));
        var (rule, error, reason) = RefusalsOf(report).Single();
        Assert.That((rule, error), Is.EqualTo(("mem-sharing/client", "-ESRCH")), $"seed {report.Seed}: clone left for b at 10 s");
        Assert.That(reason, Does.Contain("client clone does not run on a"));
    }

    [Test]
    public void TheEleventhView_IsRefused()
    {
        var views = string.Concat(Enumerable.Range(1, 11).Select(i => $"  - {{ kind: altp2m-view, domain: watched, at: {i}00ms }}\n"));
        var (rule, error, reason) = RefusalsOf(Run(TwoGuests(views))).Single();
        Assert.That((rule, error), Is.EqualTo(("altp2m/views", "-EINVAL")));
        Assert.That(reason, Does.Contain("all 10 altp2m views in use"));
    }

    [Test]
    public void ARunWithoutSharingEvents_ReportsNoAltp2mRules_AndNoFindings()
    {
        var report = Run(TwoGuests("  - { kind: mem-sharing, domain: watched, at: 1s }"));
        Assert.That((report.Altp2m, report.Findings.Count), Is.EqualTo(((string?)null, 0)));
        Assert.That(Json(report).GetProperty("findings").GetArrayLength(), Is.EqualTo(0));
        Assert.That(Json(report).TryGetProperty("altp2m", out _), Is.False);
    }

    [Test]
    public void TheBuiltIn_PartitionedAndWindowed_GivesTheReportOfOneProcess_UnderBothRules()
    {
        var scenario = BuiltIn("altp2m-sharing").Scenario;
        foreach (var rules in Enum.GetValues<Altp2mSharingMode>())
        {
            var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 4, Altp2m = rules };
            var whole = Simulator.Execute(scenario, options);
            var split = PartitionedRun.Execute(scenario, options, [[0], [1]], out _);
            var windowed = Simulator.Execute(scenario, options with { Mode = Migration.Actors.ExecutionMode.Windowed });
            Assert.That(ReportJson.Write(split), Is.EqualTo(ReportJson.Write(whole)), $"seed 4, {rules}");
            Assert.That(ReportJson.Write(windowed), Is.EqualTo(ReportJson.Write(whole)), $"seed 4, {rules}");
            Assert.That(whole.Findings.Count, Is.EqualTo(rules == Altp2mSharingMode.PatchV4 ? 2 : 0), $"seed 4, {rules}");
        }
    }

    [Test]
    public void AJournaledRun_RecordsWhatWasDone_AndTheFindings_AndVerifies()
    {
        var scenario = BuiltIn("altp2m-sharing");
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 2, Altp2m = Altp2mSharingMode.PatchV4 };
        var directory = Directory.CreateTempSubdirectory("migration-test-");
        try
        {
            using var store = Migration.Persistence.JournalUri.Open("sqlite:" + Path.Combine(directory.FullName, "journal.db"));
            var journaled = Simulator.Run(scenario, options, store, "run-1");
            Assert.That(journaled.ResultHash, Is.EqualTo(Simulator.Run(scenario, options).ResultHash), "seed 2");
            var findings = TimelineReader.Findings(store, "run-1");
            Assert.That(findings.Select(f => f.Finding.Description), Is.EqualTo(journaled.Findings.Select(f => f.Description)), "seed 2");
            var timeline = TimelineReader.Render(store, "run-1", "watched", scenario.Scenario.Hosts.Select(h => h.Name).ToArray());
            Assert.That(timeline, Has.Some.Contains("hypervisor carried out altp2m_change_gfn: view 1 of watched maps gfn 0x300 to what gfn 0x101 maps (a shared page"));
            Assert.That(timeline, Has.Some.Contains("oracle (stale-view) on host-a: view 1 of watched maps gfn 0x300"));
            var verified = Simulator.Verify(store, "run-1");
            Assert.That(verified.Divergences, Is.Empty, "seed 2");
            Assert.That(verified.RecomputedHash, Is.EqualTo(verified.StoredHash), "seed 2: the stored --altp2m is executed again");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
