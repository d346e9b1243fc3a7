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
        LoadError.AssertAt(WithEvent("{ kind: mem-sharing, at: 2s, domain: web, fail-page: 1 }"), "mem-sharing", "events[0].fail-page", "applies only to memory-add and hot-plug");

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
