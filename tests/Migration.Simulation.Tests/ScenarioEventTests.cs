using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>
/// Scenario events (hot-plug, hot-unplug, mem_sharing, mem_paging, device-broken) reach the rules that
/// only a running system can reach: assign_device while global log-dirty is on, mem_sharing between an
/// unplug and the re-plug.
/// </summary>
public sealed class ScenarioEventTests
{
    private static readonly string[] Vendors = ["intel", "amd", "arm"];
    private static readonly string[] Devices = ["writer", "declared", "emulated", "bm-off"];

    /// <summary>
    /// Which hot-plug assign_device refuses while log-dirty is on, per policy, for the writer, the
    /// declared reader, the emulated writer and the bus-master-off device (XEN-FACTS.md, DESIGN.md):
    /// has-devices counts every device; shared-pt every device on shared tables (Intel here, never
    /// AMD); bus-master those with bus-master enable on shared tables; declared-read-only all but the
    /// declared; external-dirty only the writer nobody reports; toolstack-decides none. On Arm
    /// assign_device always permits. Under iommu-enabled log-dirty itself is refused for these
    /// domains (the IOMMU is enabled), so no assignment happens during it.
    /// </summary>
    private static readonly Dictionary<VetoPolicy, (bool[] Intel, bool[] Amd)> RefusedDuringLogDirty = new()
    {
        [VetoPolicy.HasDevices] = ([true, true, true, true], [true, true, true, true]),
        [VetoPolicy.SharedPt] = ([true, true, true, true], [false, false, false, false]),
        [VetoPolicy.BusMaster] = ([true, true, true, false], [false, false, false, false]),
        [VetoPolicy.DeclaredReadOnly] = ([true, false, true, true], [true, false, true, true]),
        [VetoPolicy.ExternalDirty] = ([true, false, false, false], [true, false, false, false]),
        [VetoPolicy.ToolstackDecides] = ([false, false, false, false], [false, false, false, false]),
    };

    [TestCase(VetoPolicy.HasDevices)]
    [TestCase(VetoPolicy.SharedPt)]
    [TestCase(VetoPolicy.BusMaster)]
    [TestCase(VetoPolicy.DeclaredReadOnly)]
    [TestCase(VetoPolicy.ExternalDirty)]
    [TestCase(VetoPolicy.ToolstackDecides)]
    public void AssignDuringLogDirty_IsRefusedOrAllowed_AsThePolicySays_OnIntelAmdAndArm(VetoPolicy policy)
    {
        var report = Run(BuiltIn("assign-during-log-dirty"), policy);
        var (intel, amd) = RefusedDuringLogDirty[policy];
        foreach (var vendor in Vendors)
        {
            for (var d = 0; d < Devices.Length; d++)
            {
                var domain = $"{vendor}-{Devices[d]}";
                var expected = vendor switch { "intel" => intel[d], "amd" => amd[d], _ => false };
                var refusals = Refusals(report).Where(r => Text(r, "domain") == domain).ToArray();
                var why = $"seed {report.Seed}, {Names.Of(policy)}, {domain}";
                Assert.That(Of(report, domain).Refusal, Is.Null, $"{why}: log-dirty itself is allowed");
                if (!expected)
                {
                    Assert.That(refusals, Is.Empty, $"{why}: the hot-plug is allowed");
                    continue;
                }
                var refusal = refusals.Single();
                Assert.That(Text(refusal, "refusedBy"), Is.EqualTo("hypervisor"), why);
                Assert.That(Text(refusal, "rule"), Is.EqualTo($"assign/log-dirty/{Names.Of(policy)}"), why);
                Assert.That(Text(refusal, "error"), Is.EqualTo("-EXDEV"), why);
                Assert.That(Text(refusal, "device"), Is.EqualTo($"0000:0{d + 1}:00.0"), why);
                Assert.That(refusal.GetProperty("timeMs").GetDouble(), Is.EqualTo(2000).Within(1), $"{why}: when the event happened");
            }
        }
    }

    [Test]
    public void UnderIommuEnabled_LogDirtyIsRefused_SoTheHotPlugsComeAfterIt_AndAreAllowed()
    {
        var report = Run(BuiltIn("assign-during-log-dirty"), VetoPolicy.IommuEnabled);
        var refusals = Refusals(report);
        Assert.That(refusals, Has.Length.EqualTo(12), $"seed {report.Seed}: one log-dirty veto per domain and nothing else");
        Assert.That(refusals.Select(r => Text(r, "rule")).Distinct(), Is.EqualTo(new[] { "log-dirty/iommu-enabled" }));
    }

    [Test]
    public void AnAllowedWriter_DuringLogDirty_FaultsOnSharedTables_AndCorruptsOnSeparateOnes()
    {
        var report = Run(BuiltIn("assign-during-log-dirty"), VetoPolicy.ToolstackDecides);
        Assert.That(Of(report, "intel-writer").Outcome, Is.EqualTo(Outcome.Faulted), Describe(Of(report, "intel-writer"), report));
        Assert.That(Of(report, "arm-writer").Outcome, Is.EqualTo(Outcome.Faulted), "the Arm IPMMU walks the P2M itself: shared tables");
        Assert.That(Of(report, "amd-writer").Outcome, Is.EqualTo(Outcome.Corrupted), Describe(Of(report, "amd-writer"), report));
        Assert.That(Of(report, "amd-emulated").Outcome, Is.EqualTo(Outcome.Completed), "its emulator reported what it wrote");
        Assert.That(Of(report, "amd-declared").Outcome, Is.EqualTo(Outcome.Completed), "it only reads");
        Assert.That(Of(report, "intel-bm-off").Outcome, Is.EqualTo(Outcome.Completed), "without bus-master enable it cannot DMA");
    }

    /// <summary>A domain with a writer unplugs it and migrates; mem_sharing is turned on at 2 s, during pre-copy.</summary>
    // Intel hosts (mem_sharing needs VT-x) with separate IOMMU tables, as AMD's always are.
    private static ScenarioText MemSharingBetweenUnplugAndReplug(string lifetime) => Inline($$"""
        hosts:
          - { name: source, memory: 8GiB, shared-page-tables: false, iommu-lifetime: {{lifetime}} }
          - { name: destination, memory: 8GiB, shared-page-tables: false, iommu-lifetime: {{lifetime}} }
        domains:
          - { name: guest, host: source, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% } }
        devices:
          - { bdf: "0000:01:00.0", host: source, domain: guest, dma: read-write, dma-rate: 2000/s }
          - { bdf: "0000:01:00.0", host: destination }
        migrations:
          - { domain: guest, to: destination, at: 1s, unplug-replug: true }
        events:
          - { kind: mem-sharing, at: 2s, domain: guest }
        """);

    [Test]
    public void MemSharing_BetweenUnplugAndReplug_Before413_MakesTheReplugFailWithExdev_AndOneCopyRuns()
    {
        var scenario = MemSharingBetweenUnplugAndReplug("assignment");
        var options = new RunOptions { Policy = VetoPolicy.HasDevices, Seed = 1 };
        var system = SimulationRun.CreateSystem(scenario.Scenario, options);
        var world = SimulationRun.Populate(system, scenario.Scenario, options);
        system.RunUntil(SimulationRun.Horizon(scenario.Scenario));
        var report = SimulationRun.Report(scenario.Scenario, options, system, world, null, 0);

        var migration = JsonOf(report, "guest");
        Assert.That(Text(migration, "outcome"), Is.EqualTo("completed"), $"seed {options.Seed}");
        var replug = migration.GetProperty("replug");
        Assert.That(Text(replug, "rule"), Is.EqualTo("assign/mem-sharing"), $"seed {options.Seed}: mem_sharing travelled with the domain");
        Assert.That(Text(replug, "error"), Is.EqualTo("-EXDEV"));
        Assert.That(Text(replug, "refusedBy"), Is.EqualTo("hypervisor"));
        Assert.That(Text(replug, "device"), Is.EqualTo("0000:01:00.0"));
        Assert.That(world.Census.Copies("guest"), Is.EqualTo(1), "exactly one copy of the domain exists");
        Assert.That(world.Census.RunningCopies("guest"), Is.EqualTo(1), "and it runs");
        Assert.That(world.Census.HostOf("guest"), Is.EqualTo(1), "on the destination");
        Assert.That(system.ErrorCount, Is.Zero);
    }

    [Test]
    public void MemSharing_BetweenUnplugAndReplug_From413_IsItselfRefusedWithExdev_AndTheReplugSucceeds()
    {
        var report = Run(MemSharingBetweenUnplugAndReplug("domain"), VetoPolicy.HasDevices);
        Assert.That(JsonOf(report, "guest").GetProperty("replug").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), $"seed {report.Seed}");
        var refusal = Refusals(report).Single();
        Assert.That(Text(refusal, "rule"), Is.EqualTo("mem-sharing/iommu"), "the IOMMU stays enabled for a domain created with a device");
        Assert.That(Text(refusal, "error"), Is.EqualTo("-EXDEV"));
        Assert.That(refusal.GetProperty("timeMs").GetDouble(), Is.EqualTo(2000));
    }

    [Test]
    public void HotUnplug_DuringPreCopy_CountsTheDevicesDmaUntilItLeft_AndNoneAfter()
    {
        // On shared tables (Intel) every DMA write during log-dirty faults, so the faults count the
        // writes: the device writes 1,000 pages a second from log-dirty on (1 s) until it is
        // unplugged at 3 s, about 2,000 writes; kept, it writes until the domain pauses.
        string Yaml(string events) => $$"""
            hosts:
              - { name: source, memory: 8GiB }
              - { name: destination, memory: 8GiB }
            domains:
              - { name: guest, host: source, memory: 1GiB, workload: { dirty-rate: 4MB/s, working-set: 10% } }
            devices:
              - { bdf: "0000:01:00.0", host: source, domain: guest, dma: read-write, dma-rate: 2000/s }
              - { bdf: "0000:01:00.0", host: destination }
            migrations:
              - { domain: guest, to: destination, at: 1s }
            {{events}}
            """;
        var unplugged = Run(Inline(Yaml("events:\n  - { kind: hot-unplug, at: 3s, host: source, device: \"0000:01:00.0\" }")), VetoPolicy.ToolstackDecides);
        var kept = Run(Inline(Yaml("")), VetoPolicy.ToolstackDecides);
        Assert.That(Only(kept).Outcome, Is.EqualTo(Outcome.Faulted), Describe(Only(kept), kept));
        Assert.That(Only(unplugged).Outcome, Is.EqualTo(Outcome.Faulted), Describe(Only(unplugged), unplugged));
        Assert.That(Only(unplugged).DmaFaults, Is.EqualTo(2_000).Within(5).Percent, $"seed {unplugged.Seed}: the writes of 1 s to 3 s");
        Assert.That(Only(kept).DmaFaults, Is.GreaterThan(3 * Only(unplugged).DmaFaults), "kept, it wrote for the whole migration");
        Assert.That(Refusals(unplugged), Is.Empty, "xl lets the device go");
    }

    [Test]
    public void Xapi_RefusesADeviceChange_OnAMigratingDomain_WithOtherOperationInProgress()
    {
        var scenario = Inline("""
            hosts:
              - { name: source, memory: 8GiB, iommu: amd, toolstack: xapi }
              - { name: destination, memory: 8GiB, iommu: amd, toolstack: xapi }
            domains:
              - { name: guest, host: source, memory: 1GiB, iommu: true, workload: { dirty-rate: 4MB/s, working-set: 10% } }
            devices:
              - { bdf: "0000:01:00.0", host: source, dma: read-write, dma-rate: 2000/s }
            migrations:
              - { domain: guest, to: destination, at: 1s }
            events:
              - { kind: hot-plug, at: 2s, host: source, device: "0000:01:00.0", domain: guest }
            """);
        var report = Run(scenario, VetoPolicy.ToolstackDecides);
        var refusal = Refusals(report).Single();
        Assert.That(Text(refusal, "refusedBy"), Is.EqualTo("toolstack"), $"seed {report.Seed}");
        Assert.That(Text(refusal, "rule"), Is.EqualTo("OTHER_OPERATION_IN_PROGRESS"));
        Assert.That(Text(refusal, "error"), Is.EqualTo("OTHER_OPERATION_IN_PROGRESS"));
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed), "the migration went on without the device");
    }

    [Test]
    public void ADeviceMarkedBrokenByAnEvent_IsRefusedWithEbadf_WhenPluggedLater()
    {
        var scenario = Inline("""
            hosts:
              - { name: host, memory: 8GiB }
            domains:
              - { name: guest, host: host, memory: 1GiB, iommu: true }
            devices:
              - { bdf: "0000:01:00.0", host: host }
            events:
              - { kind: device-broken, at: 1s, host: host, device: "0000:01:00.0" }
              - { kind: hot-plug, at: 2s, host: host, device: "0000:01:00.0", domain: guest }
            """);
        var report = Run(scenario, VetoPolicy.HasDevices);
        var refusal = Refusals(report).Single();
        Assert.That(Text(refusal, "rule"), Is.EqualTo("assign/broken"), $"seed {report.Seed}");
        Assert.That(Text(refusal, "error"), Is.EqualTo("-EBADF"));
        Assert.That(refusal.GetProperty("timeMs").GetDouble(), Is.EqualTo(2000));
    }

    [Test]
    public void HotPlug_IntoADomainCreatedWithoutTheIommu_IsRefusedWithEopnotsupp_From413()
    {
        var scenario = Inline("""
            hosts:
              - { name: host, memory: 8GiB }
            domains:
              - { name: guest, host: host, memory: 1GiB }
            devices:
              - { bdf: "0000:01:00.0", host: host }
              - { bdf: "0000:02:00.0", host: host }
            events:
              - { kind: hot-plug, at: 1s, host: host, device: "0000:01:00.0", domain: guest }
            """);
        var report = Run(scenario, VetoPolicy.HasDevices);
        Assert.That(Text(Refusals(report).Single(), "error"), Is.EqualTo("-EOPNOTSUPP"), $"seed {report.Seed}");
    }

    [Test]
    public void AnEventForADomainThatHasLeftTheHost_IsRefusedByThatHostsToolstack()
    {
        var scenario = Inline("""
            hosts:
              - { name: source, memory: 8GiB }
              - { name: destination, memory: 8GiB }
            domains:
              - { name: guest, host: source, memory: 1GiB, iommu: true, workload: { dirty-rate: 4MB/s, working-set: 10% } }
            devices:
              - { bdf: "0000:01:00.0", host: source }
            migrations:
              - { domain: guest, to: destination, at: 1s }
            events:
              - { kind: hot-plug, at: 60s, host: source, device: "0000:01:00.0", domain: guest }
            """);
        var report = Run(scenario, VetoPolicy.HasDevices);
        Assert.That(Only(report).Outcome, Is.EqualTo(Outcome.Completed), Describe(Only(report), report));
        var refusal = Refusals(report).Single();
        Assert.That(Text(refusal, "refusedBy"), Is.EqualTo("toolstack"));
        Assert.That(Text(refusal, "rule"), Is.EqualTo("DOMAIN_NOT_ON_HOST"));
        Assert.That(Text(refusal, "error"), Is.EqualTo("ERROR_DOMAIN_NOTFOUND"), "libxl's name for it");
    }
}
