using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using Migration.Xen.Toolstacks;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>A migration asked for a domain that is already migrating is a refusal, named as its toolstack names it, never a failure.</summary>
public sealed class AlreadyMigratingTests
{
    private static readonly ScenarioText TwoRequests = Inline("""
        hosts:
          - { name: source, memory: 8GiB }
          - { name: first, memory: 8GiB }
          - { name: second, memory: 8GiB }
        domains:
          - { name: guest, host: source, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% } }
        migrations:
          - { domain: guest, to: first, at: 1s }
          - { domain: guest, to: second, at: 1.5s }
        """);

    [TestCase(ToolstackKind.Xapi, "source-toolstack", "OTHER_OPERATION_IN_PROGRESS", "OTHER_OPERATION_IN_PROGRESS")]
    [TestCase(ToolstackKind.DeviceAware, "source-toolstack", "OTHER_OPERATION_IN_PROGRESS", "OTHER_OPERATION_IN_PROGRESS")]
    [TestCase(ToolstackKind.Xl, "hypervisor", "log-dirty/already-enabled", "-EINVAL")]
    public void TheSecondRequest_IsVetoed_AsTheToolstackNamesIt_AndNeverCalledNeedless(ToolstackKind kind, string by, string rule, string error)
    {
        var report = Run(TwoRequests, VetoPolicy.HasDevices, kind);
        Assert.That(report.Migrations[0].Outcome, Is.EqualTo(Outcome.Completed), Describe(report.Migrations[0], report));
        var second = Json(report).GetProperty("migrations")[1];
        Assert.That(Text(second, "outcome"), Is.EqualTo("vetoed"), $"seed {report.Seed}: not failed, and not needless");
        Assert.That(Text(second, "refusedBy"), Is.EqualTo(by));
        Assert.That(Text(second, "rule"), Is.EqualTo(rule));
        Assert.That(Text(second, "error"), Is.EqualTo(error));
        Assert.That(report.CounterfactualRuns, Is.Zero, "nothing to waive: it is not a policy");
        var refusal = Refusals(report).Single();
        Assert.That(refusal.GetProperty("migration").GetInt32(), Is.EqualTo(1));
        Assert.That(refusal.GetProperty("timeMs").GetDouble(), Is.EqualTo(1500));
    }

    private static readonly ScenarioText RoundTrips = Inline("""
        hosts:
          - { name: a, memory: 8GiB }
          - { name: b, memory: 8GiB }
        domains:
          - { name: guest, host: a, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% } }
        migrations:
          - { domain: guest, to: b, at: 0s }
          - { domain: guest, to: a, at: 60s }
          - { domain: guest, to: b, at: 120s }
        """);

    /// <summary>
    /// A copy that arrived and resumed is the domain itself: once the domain has left again, the
    /// host holds nothing of it, and the domain may come back (the destination used to keep counting
    /// the resumed copy, and refused the third trip with COPY_ALREADY_HERE).
    /// </summary>
    [TestCase(ToolstackKind.Xl)]
    [TestCase(ToolstackKind.Xapi)]
    public void ADomainThatLeftAHost_MayComeBackToIt(ToolstackKind kind)
    {
        var report = Run(RoundTrips, VetoPolicy.HasDevices, kind);
        foreach (var migration in report.Migrations)
            Assert.That(migration.Outcome, Is.EqualTo(Outcome.Completed), Describe(migration, report));
        Assert.That(Refusals(report), Is.Empty, $"seed {report.Seed}");
    }
}
