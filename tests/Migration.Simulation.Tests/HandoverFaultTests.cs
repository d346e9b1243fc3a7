using System.Globalization;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Simulation.World;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// Faults at the exact moments of the handover (found from an unfaulted run of the same scenario):
/// whatever is lost, exactly one copy of the domain runs, no reservation leaks, and the run goes on.
/// </summary>
public sealed class HandoverFaultTests
{
    private const long Latency = 100 * TimeSpan.TicksPerMicrosecond;

    private static string Scenario(string faults, string extraMigrations = "") => $$"""
        network: { bandwidth: 1Gbit/s, latency: 100us }
        hosts:
          - { name: a, memory: 4GiB }
          - { name: b, memory: 1536MiB }
          - { name: c, memory: 4GiB }
        domains:
          - { name: g, host: a, memory: 1GiB }
          - { name: h, host: c, memory: 1GiB }
        migrations:
          - { domain: g, to: b, at: 1s }
        {{extraMigrations}}
        faults:
        {{faults}}
        """;

    private static string At(long ticks) => (ticks / (double)TimeSpan.TicksPerSecond).ToString("0.0000000", CultureInfo.InvariantCulture) + "s";

    /// <summary>When the source sends the prepare: the unfaulted run ends four latencies later.</summary>
    private static long PrepareSentTicks()
    {
        var clean = Simulator.Execute(Inline(Scenario("  []")).Scenario, new RunOptions { Seed = 1 });
        var g = clean.Migrations[0];
        Assert.That(g.Outcome, Is.EqualTo(Outcome.Completed));
        return g.EndTicks - 4 * Latency;
    }

    private static (IReadOnlyList<MigrationResult> Results, SimulationWorld World) Run(string yaml)
    {
        var scenario = Inline(yaml).Scenario;
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 1 };
        var system = SimulationRun.CreateSystem(scenario, options);
        var world = SimulationRun.Populate(system, scenario, options);
        system.RunUntil(SimulationRun.Horizon(scenario));
        Assert.That(system.ErrorCount, Is.Zero, "no actor failed");
        return (SimulationRun.Results(world), world);
    }

    [Test]
    public void PreparedReplyLost_TheSourceAborts_TheDestinationDiscardsItsCopyOnceTheLinkIsBack_AndALaterMigrationWorks()
    {
        var sent = PrepareSentTicks();
        var (results, world) = Run(Scenario(
            $"  - {{ kind: link-down, host: a, peer: b, at: {At(sent + Latency / 2)}, for: 60s }}",
            "  - { domain: g, to: b, at: 120s }"));
        Assert.That(results[0].Outcome, Is.EqualTo(Outcome.Aborted), results[0].Reason);
        Assert.That(results[0].DowntimeMs, Is.GreaterThan(9_000), "paused from the final copy until the prepare timed out");
        Assert.That(results[1].Outcome, Is.EqualTo(Outcome.Completed), results[1].Reason);
        Assert.That(world.Census.Copies("g"), Is.EqualTo(1));
        Assert.That(world.Census.HostOf("g"), Is.EqualTo(1));
    }

    [Test]
    public void CommitLost_IsResentUntilTheLinkIsBack_AndTheMigrationCompletes_WithTheSourcePausedMeanwhile()
    {
        var sent = PrepareSentTicks();
        var (results, world) = Run(Scenario($"  - {{ kind: link-down, host: a, peer: b, at: {At(sent + 3 * Latency / 2)}, for: 60s }}"));
        Assert.That(results[0].Outcome, Is.EqualTo(Outcome.Completed), results[0].Reason);
        Assert.That(results[0].DowntimeMs, Is.GreaterThan(59_000));
        Assert.That(world.Census.Copies("g"), Is.EqualTo(1));
        Assert.That(world.Census.HostOf("g"), Is.EqualTo(1));
    }

    [Test]
    public void DestinationCrashAfterTheCommitDecision_TheSourceCopyResumes()
    {
        var sent = PrepareSentTicks();
        var (results, world) = Run(Scenario($"  - {{ kind: host-crash, host: b, at: {At(sent + 5 * Latency / 2)} }}"));
        Assert.That(results[0].Outcome, Is.EqualTo(Outcome.Failed), results[0].Reason);
        Assert.That(world.Census.RunningCopies("g"), Is.EqualTo(1));
        Assert.That(world.Census.HostOf("g"), Is.EqualTo(0));
    }

    [Test]
    public void SourceCrash_FailsTheMigration_AndTheDestinationsLeaseReleasesItsMemory()
    {
        // b has room for one 1 GiB guest: h can only arrive if g's reservation was released.
        var (results, world) = Run(Scenario("  - { kind: host-crash, host: a, at: 5s }", "  - { domain: h, to: b, at: 60s }"));
        Assert.That(results[0].Outcome, Is.EqualTo(Outcome.Failed), results[0].Reason);
        Assert.That(results[0].Reason, Does.Contain("source host a crashed"));
        Assert.That(world.Census.Copies("g"), Is.Zero, "g died with its host");
        Assert.That(results[1].Outcome, Is.EqualTo(Outcome.Completed), results[1].Reason);
    }

    [Test]
    public void LinkDownAtAPassEnd_Aborts_AndTheLostCancelIsMadeUpByTheLease()
    {
        var (results, world) = Run(Scenario("  - { kind: link-down, host: a, peer: b, at: 4s, for: 10s }", "  - { domain: h, to: b, at: 30s }"));
        Assert.That(results[0].Outcome, Is.EqualTo(Outcome.Aborted), results[0].Reason);
        Assert.That(world.Census.HostOf("g"), Is.EqualTo(0));
        Assert.That(results[1].Outcome, Is.EqualTo(Outcome.Completed), results[1].Reason);
    }
}
