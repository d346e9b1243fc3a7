using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests.Loading;

/// <summary>A memory-add event, a device's rmrr and an event's fail-page: read, and each problem named at its line and field.</summary>
public class IommuCallerEventErrorTests
{
    private static string WithEvent(string e, string device = "") =>
        BaseYaml.With("    domain: web\n", "    domain: web\n" + device) + "\nevents:\n  - " + e + "\n";

    [Test]
    public void AMemoryAdd_AndAnRmrr_AreRead()
    {
        var scenario = ScenarioLoader.Load(WithEvent("{ kind: memory-add, host: h1, at: 2s, size: 256MiB, fail-page: 7 }", "    rmrr: 64KiB\n"), "events.yaml");
        var e = scenario.Events.Single();
        Assert.That((e.Kind, e.Host, e.SizeBytes, e.FailPage), Is.EqualTo((EventKind.MemoryAdd, "h1", (long?)(256L << 20), (long?)7)));
        Assert.That(scenario.Devices.Single().RmrrPages, Is.EqualTo(16));
    }

    [Test]
    public void AMemoryAddWithoutASize_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: memory-add, host: h1, at: 2s }"), "memory-add", "events[0]", "size is required for memory-add");

    [Test]
    public void AMemoryAddWithoutAHost_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: memory-add, at: 2s, size: 1MiB }"), "memory-add", "events[0].host", "is required for memory-add");

    [Test]
    public void AMemoryAddOfPartOfAPage_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: memory-add, host: h1, at: 2s, size: 6KiB }"), "memory-add", "events[0].size", "not a whole number of 4 KiB pages");

    [Test]
    public void AMemoryAddOfMoreThanAGibibyte_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: memory-add, host: h1, at: 2s, size: 2GiB }"), "memory-add", "events[0].size", "is more than one memory-add maps here");

    [Test]
    public void AFailPageOutsideTheRange_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: memory-add, host: h1, at: 2s, size: 8KiB, fail-page: 3 }"), "memory-add", "events[0].fail-page", "page 3 is outside 1 to 2");

    [Test]
    public void AFailPageOnAHotPlugOfADeviceWithoutRmrr_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: hot-plug, host: h1, at: 2s, device: '0000:03:00.0', domain: web, fail-page: 1 }"), "hot-plug",
            "events[0].fail-page", "has no RMRR to identity-map");

    [Test]
    public void AFailPageOnAnotherKind_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: mem-sharing, at: 2s, domain: web, fail-page: 1 }"), "mem-sharing", "events[0].fail-page", "applies only to memory-add, mmio-map and hot-plug");

    [Test]
    public void ASizeOnAnotherKind_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: mem-sharing, at: 2s, domain: web, size: 1MiB }"), "mem-sharing", "events[0].size", "applies only to memory-add");

    [Test]
    public void AnRmrrOfPartOfAPage_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: memory-add, host: h1, at: 2s, size: 1MiB }", "    rmrr: 5KiB\n"), "rmrr", "devices[0].rmrr", "not a whole number of 4 KiB pages");

    [Test]
    public void TheNewKeys_AreLeftOutOfTheScenarioDigest_WhenAbsent()
    {
        // The digest is the scenario as JSON: what older scenarios did not have must not appear in theirs.
        var scenario = ScenarioLoader.Load(WithEvent("{ kind: mem-sharing, at: 2s, domain: web }"), "events.yaml");
        var json = System.Text.Json.JsonSerializer.Serialize(scenario);
        foreach (var name in new[] { "IsHostEvent", "SizeBytes", "FailPage", "RmrrPages", "Ats", "FlushLatency", "Invalidation", "TranslationFaults" })
            Assert.That(json, Does.Not.Contain($"\"{name}\""), name);
    }
}

/// <summary>An mmio-map event and the scenario's iommu.set-entry-rollback: read, and each problem named at its line and field.</summary>
public class MmioMapEventErrorTests
{
    /// <summary>The base scenario with the event, host h1 an AMD host (separate IOMMU tables) unless <paramref name="intel"/>.</summary>
    private static string WithEvent(string e, string iommu = "", bool intel = false) =>
        iommu + (intel ? BaseYaml.Text : BaseYaml.With("  - name: h1\n    memory: 64GiB", "  - name: h1\n    iommu: amd\n    memory: 64GiB")) + "\nevents:\n  - " + e + "\n";

    [Test]
    public void AnMmioMap_AndTheRollback_AreRead()
    {
        var scenario = ScenarioLoader.Load(WithEvent("{ kind: mmio-map, host: h1, at: 2s, size: 2MiB, fail-page: 200 }", "iommu: { set-entry-rollback: thread }\n"), "events.yaml");
        var e = scenario.Events.Single();
        Assert.That((e.Kind, e.Host, e.SizeBytes, e.FailPage), Is.EqualTo((EventKind.MmioMap, "h1", (long?)(2L << 20), (long?)200)));
        Assert.That(scenario.Iommu!.SetEntryRollback, Is.EqualTo(Migration.Xen.Iommu.SetEntryRollback.Thread));
    }

    [Test]
    public void ASizeThatIsNotOneSetEntryCall_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: mmio-map, host: h1, at: 2s, size: 1GiB }"), "mmio-map", "events[0].size",
            "1 GiB is not what one set_entry call maps MMIO with (4 KiB or 2 MiB", "mmio_order() never uses 1 GiB");

    [Test]
    public void AnMmioMapWithoutASize_OrAHost_IsReported()
    {
        LoadError.AssertAt(WithEvent("{ kind: mmio-map, host: h1, at: 2s }"), "mmio-map", "events[0]", "size is required for mmio-map");
        LoadError.AssertAt(WithEvent("{ kind: mmio-map, at: 2s, size: 4KiB }"), "mmio-map", "events[0].host", "is required for mmio-map (the host whose hardware domain maps the BAR)");
    }

    [Test]
    public void AFailPagePastTheBar_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: mmio-map, host: h1, at: 2s, size: 4KiB, fail-page: 2 }"), "mmio-map", "events[0].fail-page", "page 2 is outside 1 to 1");

    [Test]
    public void AFailPageOnAHostWhoseIommuWalksTheP2m_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: mmio-map, host: h1, at: 2s, size: 4KiB, fail-page: 1 }", intel: true),
            "mmio-map", "events[0].fail-page", "host 'h1' shares its page tables with the IOMMU: set_entry calls nothing in the IOMMU there");

    [Test]
    public void AnUnknownRollback_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: mmio-map, host: h1, at: 2s, size: 4KiB }", "iommu: { set-entry-rollback: some }\n"), "set-entry-rollback", "iommu.set-entry-rollback",
            "'some' is not a set_entry rollback (valid: xen, thread)");

    [Test]
    public void AnMmioMapOnArm_IsReported()
    {
        const string yaml = """
            hosts:
              - { name: a1, iommu: arm, memory: 8GiB }
            migrations: []
            events:
              - { kind: mmio-map, host: a1, size: 2MiB, at: 1s }
            """;
        LoadError.AssertAt(yaml, "mmio-map", "events[0].host", "host 'a1' is Arm: its IOMMU walks the P2M itself");
    }

    [Test]
    public void TheRollback_IsLeftOutOfTheScenarioDigest_WhenAbsent()
    {
        var scenario = ScenarioLoader.Load(WithEvent("{ kind: mmio-map, host: h1, at: 2s, size: 4KiB }", "iommu: { invalidation: spin }\n"), "events.yaml");
        Assert.That(System.Text.Json.JsonSerializer.Serialize(scenario), Does.Not.Contain("SetEntryRollback").And.Not.Contain("IsHardwareDomainEvent"));
    }
}

/// <summary>A domain's grant transfers (io.transfers): read, checked, and out of the digest when absent.</summary>
public class TransferRateTests
{
    private static string WithIo(string io) => BaseYaml.With("    domain: web\n", "    domain: web\n").Replace("    memory: 1GiB\n", $"    memory: 1GiB\n    io: {io}\n", StringComparison.Ordinal);

    [Test]
    public void Transfers_AreRead()
    {
        var scenario = ScenarioLoader.Load(WithIo("{ transfers: 4/s, balloon: 2/s }"), "io.yaml");
        var io = scenario.Domains.Single(d => d.Name == "web").Io!;
        Assert.That((io.TransfersPerSecond, io.PagesLeavingPerSecond), Is.EqualTo((4.0, 6.0)));
    }

    [Test]
    public void ANegativeRate_IsReported() =>
        LoadError.AssertAt(WithIo("{ transfers: -1/s }"), "transfers", "domains[0].io.transfers", "");

    [Test]
    public void BalloonAndTransfersTogether_AreBoundedAsOneRate() =>
        LoadError.AssertAt(WithIo("{ transfers: 600000/s, balloon: 600000/s }"), "transfers", "domains[0].io.transfers",
            "balloon and transfers together are 1200000/s, more than 1000000/s");

    [Test]
    public void NoTransfers_LeaveTheDigestAsItWas()
    {
        var scenario = ScenarioLoader.Load(WithIo("{ balloon: 2/s }"), "io.yaml");
        var json = System.Text.Json.JsonSerializer.Serialize(scenario);
        Assert.That(json, Does.Not.Contain("TransfersPerSecond").And.Not.Contain("PagesLeavingPerSecond"));
        Assert.That(json, Does.Contain("BalloonPagesPerSecond"));
    }
}
