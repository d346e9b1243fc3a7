using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>Hosts' CPUs shared by the vCPUs running there: a guest dirties in proportion to its share.</summary>
public sealed class CpuSharingTests
{
    /// <summary>A guest dirtying 20 MB/s over half its 1 GiB migrates from a host where a second, idle guest runs.</summary>
    private static RunReport Run(string cpus) => Scenarios.Run(Inline($$"""
        hosts:
          - { name: source, memory: 8GiB{{cpus}} }
          - { name: destination, memory: 8GiB }
        domains:
          - { name: guest, host: source, memory: 1GiB, workload: { dirty-rate: 20MB/s, working-set: 50% } }
          - { name: neighbour, host: source, memory: 1GiB }
        migrations:
          - { domain: guest, to: destination, at: 1s }
        """), VetoPolicy.HasDevices);

    private static long Resent(RunReport report) => report.Migrations.Single().PagesSent - 262_144;

    [Test]
    public void TwoVcpusOnOneCpu_HalveTheGuestsDirtying()
    {
        var unlimited = Run("");
        var shared = Run(", cpus: 1");
        Assert.That(shared.Migrations.Single().Outcome, Is.EqualTo(Outcome.Completed));
        // Pass 0 takes the same 8.6 s either way; what the guest dirtied meanwhile (and so each later pass) is about half.
        Assert.That(Resent(shared), Is.InRange(Resent(unlimited) * 0.4, Resent(unlimited) * 0.6),
            $"seed 1: re-sent {Resent(shared)} pages on a shared CPU, {Resent(unlimited)} with a CPU each");
    }

    [Test]
    public void AsManyCpusAsRunningVcpus_ChangeNothing()
    {
        var unlimited = Run("");
        var enough = Run(", cpus: 2");
        Assert.That(enough.Migrations.Single(), Is.EqualTo(unlimited.Migrations.Single()), "seed 1");
    }
}
