using Migration.Xen.Network;

namespace Migration.Xen.Tests;

/// <summary>Max-min fair sharing on cases small enough to work by hand.</summary>
public sealed class MaxMinFairShareTests
{
    private static double[] Share(double[] capacities, params int[][] resourcesOf) =>
        MaxMinFairShare.Allocate(capacities, resourcesOf.Select(r => (IReadOnlyList<int>)r).ToArray());

    [Test]
    public void TwoStreamsOutOfOneHost_GetHalfEach()
    {
        // Links: 0 = host A (100), 1 = host B (100), 2 = host C (100). A→B and A→C.
        var rates = Share([100, 100, 100], [0, 1], [0, 2]);
        Assert.That(rates, Is.EqualTo(new[] { 50.0, 50.0 }));
    }

    [Test]
    public void AStreamLimitedAtItsDestination_LeavesTheRestToTheOthersAtTheSource()
    {
        // A→B and A→C, C's link 20: A→C takes 20, A→B the 80 left of A's link.
        var rates = Share([100, 100, 20], [0, 1], [0, 2]);
        Assert.That(rates[1], Is.EqualTo(20).Within(1e-9));
        Assert.That(rates[0], Is.EqualTo(80).Within(1e-9));
    }

    [Test]
    public void ABottleneckSharedWithAThirdStream_IsFilledFirst()
    {
        // Link 0 (100) carries streams 0 and 1; link 1 (30) carries streams 1 and 2: 15 each on link 1, stream 0 the 85 left.
        var rates = Share([100, 30], [0], [0, 1], [1]);
        Assert.That(rates[1], Is.EqualTo(15).Within(1e-9));
        Assert.That(rates[2], Is.EqualTo(15).Within(1e-9));
        Assert.That(rates[0], Is.EqualTo(85).Within(1e-9));
    }

    [Test]
    public void AStreamThatEnds_GivesItsShareBackAtOnce()
    {
        Assert.That(Share([100, 100, 100], [0, 1], [0, 2]), Is.EqualTo(new[] { 50.0, 50.0 }));
        Assert.That(Share([100, 100, 100], [0, 1]), Is.EqualTo(new[] { 100.0 }), "A→C ended: A→B has all of A's link");
    }

    [Test]
    public void AStreamsOwnCap_LeavesTheRestToTheOthers()
    {
        var rates = MaxMinFairShare.Allocate([100], [[0], [0]], [10, double.PositiveInfinity]);
        Assert.That(rates[0], Is.EqualTo(10).Within(1e-9));
        Assert.That(rates[1], Is.EqualTo(90).Within(1e-9));
    }

    [Test]
    public void NoResourceUsedBeyondItsCapacity_OnALargerTangle()
    {
        // Four host links and six streams between them, each over its two ends' links.
        double[] capacities = [125e6, 125e6, 62.5e6, 250e6];
        int[][] streams = [[0, 1], [0, 2], [1, 2], [3, 0], [3, 2], [1, 3]];
        var rates = Share(capacities, streams);
        for (var r = 0; r < capacities.Length; r++)
        {
            var used = streams.Select((s, i) => s.Contains(r) ? rates[i] : 0).Sum();
            Assert.That(used, Is.LessThanOrEqualTo(capacities[r] * (1 + 1e-9)), $"resource {r}");
        }
        // Max-min: every stream has a full resource on which no other stream gets more than it.
        for (var s = 0; s < streams.Length; s++)
        {
            var bottleneck = streams[s].Any(r =>
                streams.Select((t, i) => t.Contains(r) ? rates[i] : 0).Sum() >= capacities[r] * (1 - 1e-9) &&
                streams.Select((t, i) => (t, i)).Where(x => x.t.Contains(r)).All(x => rates[x.i] <= rates[s] * (1 + 1e-9)));
            Assert.That(bottleneck, Is.True, $"stream {s} at {rates[s]} has a bottleneck");
        }
        Assert.That(Share(capacities, streams), Is.EqualTo(rates), "the same inputs, the same rates");
    }

    [Test]
    public void BadInput_IsRefused_SayingWhich()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Share([0], [0]))!.Message, Does.Contain("resource 0"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Share([10], [1]))!.Message, Does.Contain("stream 0 uses resource 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => MaxMinFairShare.Allocate([10], [Array.Empty<int>()]))!.Message, Does.Contain("unbounded"));
    }

    [Test]
    public void ATransfer_WhoseRateChanges_EndsWhenItsBytesAreSent()
    {
        // 100 MB at 50 MB/s; after 1 s (50 MB sent) the rate doubles: the last 50 MB take 0.5 s.
        var transfer = new Transfer(100_000_000, 0, 50e6);
        Assert.That(transfer.EndTicks, Is.EqualTo(TimeSpan.FromSeconds(2).Ticks));
        transfer.ChangeRate(TimeSpan.FromSeconds(1).Ticks, 100e6);
        Assert.That(transfer.BytesLeftAt(TimeSpan.FromSeconds(1).Ticks), Is.EqualTo(50e6).Within(1));
        Assert.That(transfer.EndTicks, Is.EqualTo(TimeSpan.FromSeconds(1.5).Ticks));
        transfer.ChangeRate(TimeSpan.FromSeconds(1.25).Ticks, 0);
        Assert.That(transfer.EndTicks, Is.Null, "stalled");
        Assert.That(transfer.BytesLeftAt(TimeSpan.FromSeconds(3).Ticks), Is.EqualTo(25e6).Within(1));
    }
}

/// <summary>Weighted use (reverse-path traffic) and each resource's fair share.</summary>
public sealed class WeightedFairShareTests
{
    [Test]
    public void TwoStreamsOppositeWays_EachTakeAcknowledgementsOnTheOthersLink()
    {
        // Resources: 0 = A out, 1 = A in, 2 = B out, 3 = B in. A->B and B->A, 5% reverse: each direction carries 1.05 streams.
        ResourceUse[] ab = [new(0, 1), new(3, 1), new(2, 0.05), new(1, 0.05)];
        ResourceUse[] ba = [new(2, 1), new(1, 1), new(0, 0.05), new(3, 0.05)];
        var share = MaxMinFairShare.Solve([100, 100, 100, 100], [ab, ba]);
        Assert.That(share.Rates[0], Is.EqualTo(100 / 1.05).Within(1e-9));
        Assert.That(share.Rates[1], Is.EqualTo(100 / 1.05).Within(1e-9));
        Assert.That(share.Levels, Is.All.EqualTo(100 / 1.05).Within(1e-9), "every direction filled at that level");
    }

    [Test]
    public void AResourceThatNeverFills_HasNoLevel_AndOneThatDoes_HasTheRateItHeldBack()
    {
        // Link 0 (100) has streams 0 and 1; stream 1 is capped at 10, so stream 0 fills link 0 at 90.
        var share = MaxMinFairShare.Solve([100, 1000], [[new(0, 1)], [new(0, 1), new(1, 1)]], [double.PositiveInfinity, 10]);
        Assert.That(share.Rates, Is.EqualTo(new[] { 90.0, 10.0 }).Within(1e-9));
        Assert.That(share.Levels[0], Is.EqualTo(90).Within(1e-9));
        Assert.That(share.Levels[1], Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void AWeightOutsideZeroToOne_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MaxMinFairShare.Solve([100], [[new(0, 0)]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaxMinFairShare.Solve([100], [[new(0, 1.5)]]));
    }
}

/// <summary>A link end's one-pass fair share against progressive filling.</summary>
public sealed class WaterLevelTests
{
    [Test]
    public void TheLevel_IsWhereProgressiveFillingFillsTheResource([Values(1, 2, 3, 4, 5, 6, 7, 8)] int seed)
    {
        var random = new Random(seed);
        var n = random.Next(1, 12);
        var bounds = Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? double.PositiveInfinity : random.Next(1, 60)).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => random.Next(3) switch { 0 => 0.05, 1 => 1.0, _ => 0.0 }).ToArray();
        var capacity = random.Next(20, 200);
        var order = Enumerable.Range(0, n).OrderBy(i => bounds[i]).ToArray();
        var level = WaterLevel.Of(bounds, weights, order, capacity);
        var users = Enumerable.Range(0, n).Where(i => weights[i] > 0).ToArray();
        var expected = users.Length == 0
            ? double.PositiveInfinity
            : MaxMinFairShare.Solve([capacity], users.Select(i => (IReadOnlyList<ResourceUse>)[new(0, weights[i])]).ToArray(), users.Select(i => bounds[i]).ToArray()).Levels[0];
        Assert.That(level, double.IsPositiveInfinity(expected) ? Is.EqualTo(expected) : Is.EqualTo(expected).Within(1e-9), $"seed {seed}");
    }

    [Test]
    public void TwoEqualStreams_ShareHalfEach_AndOneHeldElsewhere_LeavesTheRest()
    {
        Assert.That(WaterLevel.Of([double.PositiveInfinity, double.PositiveInfinity], [1, 1], [0, 1], 100), Is.EqualTo(50));
        Assert.That(WaterLevel.Of([20, double.PositiveInfinity], [1, 1], [0, 1], 100), Is.EqualTo(80));
        Assert.That(WaterLevel.Of([20, 30], [1, 1], [0, 1], 100), Is.EqualTo(double.PositiveInfinity), "both held below: the link never fills");
    }

    [Test]
    public void WhatIsLeft_OfALinkThatDoesNotFill_CountsEachStreamByItsWeight()
    {
        Assert.That(WaterLevel.Left([20, 30], [1, 1], 100), Is.EqualTo(50));
        Assert.That(WaterLevel.Left([20, 30], [1, 0.05], 100), Is.EqualTo(78.5).Within(1e-12), "the second only acknowledges on this side");
        Assert.That(WaterLevel.Left([20, double.PositiveInfinity], [1, 0], 100), Is.EqualTo(80), "a stream that does not use the direction takes nothing of it");
        Assert.That(WaterLevel.Left([60, 70], [1, 1], 100), Is.EqualTo(0), "over-committed: nothing is left, never less");
    }
}
