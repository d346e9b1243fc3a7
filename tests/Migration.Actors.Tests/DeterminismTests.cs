namespace Migration.Actors.Tests;

public class DeterminismTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(1);

    [Test]
    public void SameSeed_GivesTheSameHash_In100Runs()
    {
        const ulong seed = 20261121;
        var first = ChaosWorkload.Run(seed, hosts: 3, ExecutionMode.Sequential, Duration);
        Assert.That(first.DeliveredCount, Is.GreaterThan(10_000), $"seed {seed}: the workload is too small to prove anything");
        for (var run = 1; run < 100; run++)
        {
            var again = ChaosWorkload.Run(seed, hosts: 3, ExecutionMode.Sequential, Duration);
            Assert.That(again.ResultHash, Is.EqualTo(first.ResultHash), $"seed {seed}: run {run} diverged");
            Assert.That(again.DeliveredCount, Is.EqualTo(first.DeliveredCount), $"seed {seed}: run {run} delivered a different count");
        }
    }

    [Test]
    public void DifferentSeeds_GiveDifferentHashes()
    {
        var hashes = Enumerable.Range(1, 10)
            .Select(seed => ChaosWorkload.Run((ulong)seed, hosts: 3, ExecutionMode.Sequential, Duration).ResultHash)
            .ToArray();
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(hashes.Length), "seeds 1-10: " + string.Join(", ", hashes));
    }

    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(99UL)]
    public void WindowedExecutionOver3Hosts_GivesTheSameHashAsSequential(ulong seed)
    {
        var sequential = ChaosWorkload.Run(seed, hosts: 3, ExecutionMode.Sequential, Duration);
        var windowed = ChaosWorkload.Run(seed, hosts: 3, ExecutionMode.Windowed, Duration);
        Assert.That(windowed.DeliveredCount, Is.EqualTo(sequential.DeliveredCount), $"seed {seed}");
        Assert.That(windowed.ResultHash, Is.EqualTo(sequential.ResultHash), $"seed {seed}");
        Assert.That(windowed.DeadLetterCount, Is.EqualTo(sequential.DeadLetterCount), $"seed {seed}");
    }

    [Test]
    public void WindowedExecution_RunsEachHostOnItsOwnScheduler()
    {
        var windowed = ChaosWorkload.Run(5, hosts: 3, ExecutionMode.Windowed, TimeSpan.FromMilliseconds(50));
        Assert.That(windowed.Schedulers.Select(s => s.Host), Is.EqualTo(new int?[] { 0, 1, 2 }));
        var sequential = ChaosWorkload.Run(5, hosts: 3, ExecutionMode.Sequential, TimeSpan.FromMilliseconds(50));
        Assert.That(sequential.Schedulers.Select(s => s.Host), Is.EqualTo(new int?[] { null }));
    }

    [Test]
    public void RunningInSteps_GivesTheSameHashAsOneRun()
    {
        const ulong seed = 77;
        var whole = ChaosWorkload.Run(seed, hosts: 2, ExecutionMode.Sequential, Duration);
        var stepped = ChaosWorkload.Run(seed, hosts: 2, ExecutionMode.Windowed, TimeSpan.FromMilliseconds(333));
        stepped.RunUntil(TimeSpan.FromMilliseconds(700));
        stepped.RunUntil(Duration);
        Assert.That(stepped.ResultHash, Is.EqualTo(whole.ResultHash), $"seed {seed}");
    }

    [Test]
    public void Pacing_DelaysTheRunButKeepsTheHash()
    {
        const ulong seed = 8;
        var duration = TimeSpan.FromMilliseconds(200);
        var unpaced = ChaosWorkload.Run(seed, hosts: 2, ExecutionMode.Sequential, duration);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var paced = ChaosWorkload.Run(seed, hosts: 2, ExecutionMode.Sequential, duration, pacing: 4.0);
        wall.Stop();
        Assert.That(paced.ResultHash, Is.EqualTo(unpaced.ResultHash), $"seed {seed}");
        // 200 ms of virtual time at 4x real time cannot take less than about 50 ms of wall time
        // (the first event starts the clock, so allow the first tick interval of slack).
        Assert.That(wall.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(40)), $"seed {seed}");
    }
}
