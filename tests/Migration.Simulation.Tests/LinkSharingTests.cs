using Migration.Scenarios;
using Migration.Simulation.Distributed;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Network;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using Migration.Xen.PreCopy;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// Links shared by concurrent migrations, worked by hand: idle guests (one pass carries all their
/// memory, the final copy only their vCPU state), so each migration's rate is its pass's.
/// </summary>
public sealed class LinkSharingTests
{
    private const double LinkRate = 125e6;

    /// <summary>Hosts a, b, c; guests on a (1 GiB unless given) migrating at 1 s to the hosts given.</summary>
    private static ScenarioText FromA(string sharing, string cExtra, params (string To, string Memory)[] guests) => Inline($$"""
        network: { bandwidth: 1Gbit/s, latency: 100us, sharing: {{sharing}} }
        hosts:
          - { name: a, memory: 64GiB }
          - { name: b, memory: 64GiB }
          - { name: c, memory: 64GiB{{cExtra}} }
        domains:
        {{string.Join("\n", guests.Select((g, i) => $"  - {{ name: g{i}, host: a, memory: {g.Memory} }}"))}}
        migrations:
        {{string.Join("\n", guests.Select((g, i) => $"  - {{ domain: g{i}, to: {g.To}, at: 1s }}"))}}
        """);

    private static RunReport RunIt(ScenarioText scenario) => Simulator.Run(scenario, new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 1 });

    private static double StreamBytes(long memoryBytes) => Link.StreamBytes(memoryBytes / Link.PageBytes);

    [Test]
    public void TwoStreamsOutOfOneHost_GetHalfEach()
    {
        var report = RunIt(FromA("fair", "", ("b", "1GiB"), ("c", "1GiB")));
        foreach (var m in report.Migrations)
        {
            Assert.That(m.Outcome, Is.EqualTo(Outcome.Completed), Describe(m, report));
            Assert.That(m.MeanRateBytesPerSecond, Is.EqualTo(LinkRate / 2).Within(0.1).Percent, Describe(m, report));
            Assert.That(m.TotalMs, Is.EqualTo(StreamBytes(1L << 30) / (LinkRate / 2) * 1000).Within(0.1).Percent, Describe(m, report));
        }
        var alone = RunIt(FromA("none", "", ("b", "1GiB"), ("c", "1GiB")));
        Assert.That(alone.Migrations.Select(m => m.MeanRateBytesPerSecond), Is.All.EqualTo(LinkRate).Within(0.1).Percent,
            "with sharing none each stream has the whole link, as before");
    }

    [Test]
    public void AStreamLimitedAtItsDestination_FreesBandwidthForTheOthers_AtTheSource()
    {
        // c's link is 20 MB/s: a->c gets 20, a->b the 105 MB/s left of a's link.
        var report = RunIt(FromA("fair", ", bandwidth: 20MB/s", ("b", "1GiB"), ("c", "1GiB")));
        var toB = report.Migrations.Single(m => m.To == "b");
        var toC = report.Migrations.Single(m => m.To == "c");
        Assert.That(toC.MeanRateBytesPerSecond, Is.EqualTo(20e6).Within(0.1).Percent, Describe(toC, report));
        Assert.That(toB.MeanRateBytesPerSecond, Is.EqualTo(LinkRate - 20e6).Within(0.1).Percent, Describe(toB, report));
    }

    [Test]
    public void AStreamThatEnds_GivesItsShareBack_WithinALatency()
    {
        // 256 MiB to b and 1 GiB to c: half each until the small one is through, then the whole link.
        var report = RunIt(FromA("fair", "", ("b", "256MiB"), ("c", "1GiB")));
        var small = StreamBytes(256L << 20);
        var large = StreamBytes(1L << 30);
        var shared = small / (LinkRate / 2);
        var expected = shared + (large - small) / LinkRate;
        var big = report.Migrations.Single(m => m.To == "c");
        // The final copy (64 KiB of vCPU state) and the handover's round trips add about a millisecond;
        // a share given back a latency late would add 0.1 ms; one never given back, seconds.
        Assert.That(big.TotalMs - expected * 1000, Is.InRange(0.0, 3.0), Describe(big, report));
        Assert.That(big.MinRateBytesPerSecond, Is.LessThan(LinkRate * 0.9), "the final copy ran beside nothing, pass 0 shared at first");
    }

    [Test]
    public void AMigrationThatFollowsAnotherOnItsLink_HasTheWholeLink_TheFirstsConnectionClosed()
    {
        // g0 (256 MiB) is through by about 3.2 s; g1 leaves at 5 s over the same links.
        var report = RunIt(Inline("""
            network: { bandwidth: 1Gbit/s, latency: 100us }
            hosts:
              - { name: a, memory: 64GiB }
              - { name: b, memory: 64GiB }
            domains:
              - { name: g0, host: a, memory: 256MiB }
              - { name: g1, host: a, memory: 256MiB }
            migrations:
              - { domain: g0, to: b, at: 1s }
              - { domain: g1, to: b, at: 5s }
            """));
        foreach (var m in report.Migrations)
        {
            Assert.That(m.Outcome, Is.EqualTo(Outcome.Completed), Describe(m, report));
            Assert.That(m.MeanRateBytesPerSecond, Is.EqualTo(LinkRate).Within(0.1).Percent, "a connection left open would hold half the link: " + Describe(m, report));
        }
    }

    [Test]
    public void RandomTangles_SettleAtTheGlobalMaxMinRates([Values(1, 2, 3, 4, 5)] int seed)
    {
        // Hosts with links of different speeds and idle guests of different sizes, all leaving at
        // once: the ends agree the rates by messages; a fluid model that recomputes the global
        // max-min allocation whenever a stream ends gives when each pass should end.
        var random = new Random(seed);
        var hosts = random.Next(3, 6);
        var bandwidths = Enumerable.Range(0, hosts).Select(_ => random.Next(2, 13) * 10e6).ToArray();
        var guests = Enumerable.Range(0, random.Next(3, 9)).Select(_ =>
        {
            var from = random.Next(hosts);
            var to = (from + 1 + random.Next(hosts - 1)) % hosts;
            return (From: from, To: to, Memory: (long)random.Next(1, 9) * 64 << 20);
        }).ToArray();
        var scenario = Inline($$"""
            network: { bandwidth: 1Gbit/s, latency: 100us }
            hosts:
            {{string.Join("\n", bandwidths.Select((b, h) => $"  - {{ name: h{h}, memory: 64GiB, bandwidth: {b} }}"))}}
            domains:
            {{string.Join("\n", guests.Select((g, i) => $"  - {{ name: g{i}, host: h{g.From}, memory: {g.Memory} }}"))}}
            migrations:
            {{string.Join("\n", guests.Select((g, i) => $"  - {{ domain: g{i}, to: h{g.To}, at: 1s }}"))}}
            """);
        var report = RunIt(scenario);
        var expected = FluidPassEnds(bandwidths, guests.Select(g => (g.From, g.To, StreamBytes(g.Memory))).ToArray());
        for (var i = 0; i < guests.Length; i++)
        {
            var m = report.Migrations.Single(r => r.Domain == $"g{i}");
            Assert.That(m.Outcome, Is.EqualTo(Outcome.Completed), $"seed {seed}: " + Describe(m, report));
            // Pass 0 ends within a few milliseconds of the fluid model (latencies while the ends agree,
            // then the final copy and the handover), out of seconds.
            Assert.That(m.TotalMs - expected[i] * 1000, Is.InRange(-2.0, 3.0 + 2.0 * guests.Length),
                $"seed {seed}, g{i} h{guests[i].From}->h{guests[i].To}: fluid {expected[i]:0.000} s; " + Describe(m, report));
        }
    }

    /// <summary>When each stream ends if rates are always the global max-min allocation (each host's link: out and in).</summary>
    private static double[] FluidPassEnds(double[] bandwidths, (int From, int To, double Bytes)[] streams)
    {
        var capacities = bandwidths.SelectMany(b => new[] { b, b }).ToArray();
        var left = streams.Select(s => s.Bytes).ToArray();
        var ends = new double[streams.Length];
        var open = Enumerable.Range(0, streams.Length).ToList();
        var now = 0.0;
        while (open.Count > 0)
        {
            var uses = open.Select(s => (IReadOnlyList<int>)[2 * streams[s].From, 2 * streams[s].To + 1]).ToArray();
            var rates = MaxMinFairShare.Allocate(capacities, uses);
            var step = open.Select((s, k) => left[s] / rates[k]).Min();
            now += step;
            for (var k = open.Count - 1; k >= 0; k--)
            {
                var s = open[k];
                left[s] -= rates[k] * step;
                if (left[s] > 1e-6 * streams[s].Bytes) continue;
                ends[s] = now;
                open.RemoveAt(k);
            }
        }
        return ends;
    }

    /// <summary>a->b and c->d, each alone on its hosts' links, crossing a fabric that carries 100 MB/s in all.</summary>
    private static ScenarioText ThroughAFabric() => Inline("""
        network: { bandwidth: 1Gbit/s, latency: 100us, fabric: 100MB/s }
        hosts:
          - { name: a, memory: 64GiB }
          - { name: b, memory: 64GiB }
          - { name: c, memory: 64GiB }
          - { name: d, memory: 64GiB }
        domains:
          - { name: g0, host: a, memory: 1GiB }
          - { name: g1, host: c, memory: 1GiB }
        migrations:
          - { domain: g0, to: b, at: 1s }
          - { domain: g1, to: d, at: 1s }
        """);

    [Test]
    public void AFabricLimit_IsSharedByStreamsThatShareNoLink()
    {
        var report = RunIt(ThroughAFabric());
        foreach (var m in report.Migrations)
            Assert.That(m.MeanRateBytesPerSecond, Is.EqualTo(50e6).Within(0.2).Percent, Describe(m, report));
    }

    [Test]
    public void AFabricLimit_GivesTheSameRates_SplitOverPartitions()
    {
        var scenario = ThroughAFabric().Scenario;
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 1 };
        var whole = Simulator.Execute(scenario, options);
        var split = PartitionedRun.Execute(scenario, options, [[0], [1], [2, 3]], out _);
        Assert.That(split.Migrations.Select(m => m.MeanRateBytesPerSecond), Is.EqualTo(whole.Migrations.Select(m => m.MeanRateBytesPerSecond)), "seed 1");
        Assert.That(split.ResultHash, Is.EqualTo(whole.ResultHash), "seed 1");
    }

    [Test]
    public void OneStreamAlone_IsUnchangedBySharing([Values("guest-faster-than-link", "idle-domain")] string name)
    {
        var fair = BuiltIn(name);
        var none = new ScenarioText(fair.Scenario with { Network = fair.Scenario.Network with { Sharing = Migration.Scenarios.Model.LinkSharing.None } }, fair.Yaml);
        var shared = Only(Run(fair, VetoPolicy.HasDevices));
        var alone = Only(Run(none, VetoPolicy.HasDevices));
        Assert.That(shared, Is.EqualTo(alone), "one stream, nothing shared: the same migration either way");
    }

    [Test]
    public void SimGridBenchmark_SplitOverThreeAndFivePartitions_GivesTheRatesOfOneProcess([Values(3, 5)] int partitions)
    {
        var scenario = Migration.Scenarios.Generators.SimGridGenerator.Generate(new Migration.Scenarios.Generators.SimGridParameters { Hosts = 10, Domains = 30 });
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 2 };
        var whole = Simulator.Execute(scenario, options);
        var parts = Enumerable.Range(0, partitions)
            .Select(p => (IReadOnlyCollection<int>)Enumerable.Range(0, scenario.Hosts.Count).Where(h => h % partitions == p).ToArray()).ToArray();
        var split = PartitionedRun.Execute(scenario, options, parts, out _);
        Assert.That(whole.Migrations.Select(m => m.MinRateBytesPerSecond).Distinct().Count(), Is.GreaterThan(3), "streams really shared links");
        Assert.That(split.Migrations.Select(m => (m.MeanRateBytesPerSecond, m.MinRateBytesPerSecond, m.TotalTicks)),
            Is.EqualTo(whole.Migrations.Select(m => (m.MeanRateBytesPerSecond, m.MinRateBytesPerSecond, m.TotalTicks))), "seed 2: every rate, bit for bit");
        Assert.That(split.ResultHash, Is.EqualTo(whole.ResultHash), "seed 2");
    }
}
