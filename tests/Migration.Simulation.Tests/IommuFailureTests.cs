using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>seeds/000 during migration: a domain's balloon and its backend's grants call the IOMMU while it migrates, and the calls the scenario fails.</summary>
public sealed class IommuFailureTests
{
    /// <summary>One guest with the IOMMU enabled migrating from host a (Intel, IOMMU tables separate unless <paramref name="sourceHost"/> says otherwise) to b.</summary>
    private static ScenarioText Migrating(string io, string failures, string sourceHost = "shared-page-tables: false", string guestIommu = "iommu: true, ") => Inline($$"""
        iommu:
          failures: {{failures}}
        hosts:
          - { name: a, memory: 16GiB, {{sourceHost}} }
          - { name: b, memory: 16GiB }
        domains:
          - { name: guest, host: a, memory: 1GiB, {{guestIommu}}workload: { dirty-rate: 4MB/s, working-set: 10% }, io: {{io}} }
        migrations:
          - { domain: guest, to: b, at: 1s }
        """);

    [Test]
    public void ABalloonsFailedUnmap_CrashesTheGuest_AndFailsItsMigration_AtThatPagesTime()
    {
        var report = Run(Migrating("{ balloon: 10/s }", "{ calls: [5] }"), VetoPolicy.HasDevices);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Failed), Describe(migration, report));
        Assert.That(migration.DomainCrashed, Is.True);
        Assert.That(migration.Reason, Does.StartWith("ept_set_entry() failed to unmap").And.Contain("-ENOMEM").And.Contain("call 5"));
        Assert.That((migration.IommuCalls, migration.IommuFailures, migration.IommuDisagreements), Is.EqualTo((5L, 1L, 0L)), $"seed {report.Seed}");
        // The third balloon page (calls 5 and 6) is at 1 s + 3/10 s; the crash reaches the coordinator through the toolstack.
        Assert.That(migration.EndTicks, Is.EqualTo(TimeSpan.FromSeconds(1.3).Ticks).Within(TimeSpan.FromMilliseconds(1).Ticks), $"seed {report.Seed}");
        Assert.That(Json(report).GetProperty("domainsCrashed").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void OnAnAmdHost_TheBalloonsCaller_IsP2mPtSetEntry()
    {
        var migration = Only(Run(Migrating("{ balloon: 10/s }", "{ calls: [2] }", sourceHost: "iommu: amd"), VetoPolicy.HasDevices));
        Assert.That(migration.Reason, Does.StartWith("p2m_pt_set_entry() failed to map"), migration.Reason);
    }

    [Test]
    public void WithSharedPageTables_ABalloonCallsNothing_TheIommuWalkingTheP2mItself()
    {
        var migration = Only(Run(Migrating("{ balloon: 10/s }", "{ calls: [1] }", sourceHost: "shared-page-tables: true"), VetoPolicy.HasDevices));
        Assert.That((migration.Outcome, migration.IommuCalls, migration.IommuFailures), Is.EqualTo((Outcome.Completed, 0L, 0L)));
    }

    [Test]
    public void WithoutTheIommuInUse_ABalloonCallsNothing()
    {
        var migration = Only(Run(Migrating("{ balloon: 10/s }", "{ calls: [1] }", guestIommu: ""), VetoPolicy.HasDevices));
        Assert.That((migration.Outcome, migration.IommuCalls, migration.IommuFailures), Is.EqualTo((Outcome.Completed, 0L, 0L)), "need_iommu is false");
    }

    [Test]
    public void AGrantWhoseMapFailed_IsNeverUnmapped()
    {
        var failedMap = Only(Run(Migrating("{ grants: 100/s }", "{ calls: [1, 2] }"), VetoPolicy.HasDevices));
        var none = Only(Run(Migrating("{ grants: 100/s }", "{ probability: 0 }"), VetoPolicy.HasDevices));
        Assert.That((failedMap.IommuFailures, failedMap.IommuDisagreements), Is.EqualTo((1L, 0L)), "call 2, the unmap, is never made");
        Assert.That(failedMap.IommuCalls, Is.EqualTo(none.IommuCalls - 1));
    }

    [Test]
    public void AnAbortedMigration_CountsTheCallsMadeUntilItEnded()
    {
        var report = Run(Inline("""
            network: { bandwidth: 1Gbit/s, latency: 100us }
            hosts:
              - { name: a, memory: 16GiB }
              - { name: b, memory: 16GiB }
            domains:
              - { name: guest, host: a, memory: 1GiB, io: { grants: 100/s } }
            migrations:
              - { domain: guest, to: b, at: 1s }
            faults:
              - { kind: link-down, host: a, peer: b, at: 3s, for: 1s }
            """), VetoPolicy.HasDevices);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Aborted), Describe(migration, report));
        // Two calls a grant, one grant every 10 ms from log-dirty on (just after 1 s) to the abort.
        Assert.That(migration.IommuCalls, Is.EqualTo(2 * (long)Math.Floor((migration.EndTicks - migration.StartTicks) / (double)TimeSpan.TicksPerMillisecond / 10)).Within(4),
            $"seed {report.Seed}");
        Assert.That(migration.IommuCalls, Is.GreaterThan(0));
    }

    [Test]
    public void ABackendsFailedGrantUnmap_LeavesTheHardwareDomainAPageItsP2mDoesNotMap_AndTheMigrationGoesOn()
    {
        var report = Run(Migrating("{ grants: 100/s }", "{ calls: [2] }"), VetoPolicy.HasDevices);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Completed), Describe(migration, report));
        Assert.That(migration.DomainCrashed, Is.False, "the hardware domain only gets the error");
        Assert.That((migration.IommuFailures, migration.IommuDisagreements), Is.EqualTo((1L, 1L)), $"seed {report.Seed}");
        Assert.That(migration.IommuCalls, Is.GreaterThan(2));
        Assert.That(Json(report).GetProperty("iommuDisagreements").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public void ABackendsFailedGrantMap_IsUndone_AndLeavesNothingDisagreeing()
    {
        var migration = Only(Run(Migrating("{ grants: 100/s }", "{ calls: [1] }"), VetoPolicy.HasDevices));
        Assert.That((migration.Outcome, migration.IommuFailures, migration.IommuDisagreements), Is.EqualTo((Outcome.Completed, 1L, 0L)));
    }

    [Test]
    public void WithoutFailures_TheCallsAreCounted_AndNothingElseChanges()
    {
        var quiet = Only(Run(Migrating("{ grants: 0/s }", "{ probability: 0 }"), VetoPolicy.HasDevices));
        var busy = Only(Run(Migrating("{ grants: 100/s, balloon: 10/s }", "{ probability: 0 }"), VetoPolicy.HasDevices));
        Assert.That(busy.IommuCalls, Is.EqualTo(2 * (long)(100 * busy.TotalMs / 1000 + 10 * busy.TotalMs / 1000)).Within(4), "two calls a grant and two a balloon page");
        Assert.That(busy with { IommuCalls = 0 }, Is.EqualTo(quiet), "the calls change no result");
        Assert.That(quiet.HasIommuActivity, Is.False);
    }

    [Test]
    public void DrawnFailures_AreTheSeeds()
    {
        var scenario = Migrating("{ grants: 200/s, balloon: 50/s }", "{ probability: 0.1% }");
        var first = Run(scenario, VetoPolicy.HasDevices, seed: 11);
        var again = Run(scenario, VetoPolicy.HasDevices, seed: 11);
        Assert.That(again.ResultHash, Is.EqualTo(first.ResultHash), "seed 11");
        Assert.That(ReportJson.Write(again), Is.EqualTo(ReportJson.Write(first)), "seed 11");
        Assert.That(Enumerable.Range(1, 8).Select(seed => Only(Run(scenario, VetoPolicy.HasDevices, seed: (ulong)seed)).IommuCalls).Distinct().Count(),
            Is.GreaterThan(1), "seeds 1 to 8 all crashed at the same call");
    }

    [Test]
    public void APartitionedRun_GivesTheReportOfOneProcess_ADomainsIoTravellingWithIt()
    {
        // There and back: the second trip's calls need the domain's io: on its new host.
        var scenario = Inline("""
            iommu:
              failures: { probability: 0.01% }
            hosts:
              - { name: a, memory: 16GiB, shared-page-tables: false }
              - { name: b, memory: 16GiB, shared-page-tables: false }
            domains:
              - { name: guest, host: a, memory: 1GiB, iommu: true, io: { grants: 200/s, balloon: 50/s } }
            migrations:
              - { domain: guest, to: b, at: 1s }
              - { domain: guest, to: a, at: 60s }
            """).Scenario;
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 4 };
        var whole = Simulator.Execute(scenario, options);
        var split = PartitionedRun.Execute(scenario, options, [[0], [1]], out _);
        Assert.That(whole.Migrations[1].IommuCalls, Is.GreaterThan(0), "seed 4: the way back made calls");
        Assert.That(ReportJson.Write(split), Is.EqualTo(ReportJson.Write(whole)), "seed 4");
    }
}
