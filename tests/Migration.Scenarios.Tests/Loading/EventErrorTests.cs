using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests.Loading;

/// <summary>The scenario's events list: each problem named at its line and field.</summary>
public class EventErrorTests
{
    /// <summary>The base scenario with one event appended (flow style, one line).</summary>
    private static string WithEvent(string item) => BaseYaml.Text + "\nevents:\n  - " + item + "\n";

    [Test]
    public void EveryKind_IsRead()
    {
        var scenario = ScenarioLoader.Load(BaseYaml.Text + """

            events:
              - { kind: hot-unplug, at: 2s, host: h1, device: "0000:03:00.0" }
              - { kind: hot-plug, at: 3s, host: h1, device: "0000:03:00.0", domain: web }
              - { kind: mem-sharing, at: 4s, domain: cache }
              - { kind: mem-paging, at: 5s, domain: cache }
              - { kind: device-broken, at: 6s, host: h1, device: "0000:03:00.0" }
            """, "events.yaml");
        Assert.That(scenario.Events.Select(e => e.Kind), Is.EqualTo(new[]
            { EventKind.HotUnplug, EventKind.HotPlug, EventKind.MemSharing, EventKind.MemPaging, EventKind.DeviceBroken }));
    }

    [Test]
    public void UnknownKind_IsReported_WithTheKinds() =>
        LoadError.AssertAt(WithEvent("{ kind: reboot, at: 2s }"), "reboot", "events[0].kind",
            "'reboot' is not an event kind (valid: hot-plug, hot-unplug, mem-sharing, mem-paging, device-broken, memory-add, mmio-map, altp2m-view, altp2m-access, altp2m-remap, share, unshare)");

    [Test]
    public void UnknownDevice_IsReported_WithTheHostsDevices() =>
        LoadError.AssertAt(WithEvent("{ kind: hot-unplug, at: 2s, host: h1, device: \"0000:09:00.0\" }"), "0000:09:00.0", "events[0].device",
            "'0000:09:00.0' is not a device of host 'h1' (its devices: 0000:03:00.0)");

    [Test]
    public void DeviceEvent_WithoutHost_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: device-broken, at: 2s, device: \"0000:03:00.0\" }"), "device-broken", "events[0].host",
            "is required for device-broken");

    [Test]
    public void TimeAfterTheRunEnds_IsReported_WithTheEnd() =>
        LoadError.AssertAt(WithEvent("{ kind: mem-sharing, at: 3h, domain: cache }"), "3h", "events[0].at",
            "3 h is after the run ends at 7201 s (2 h after the last migration starts)");

    [Test]
    public void NegativeTime_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: mem-sharing, at: -1s, domain: cache }"), "-1s", "events[0].at", "must not be negative");

    [Test]
    public void HotPlug_IntoADomainThatCannotBeOnTheDevicesHost_IsReported() =>
        LoadError.AssertAt(WithEvent("{ kind: hot-plug, at: 2s, host: h1, device: \"0000:03:00.0\", domain: cache }"), "hot-plug", "events[0].domain",
            "domain 'cache' cannot be on host 'h1' at 2 s: it starts on 'h2' and no migration to 'h1' starts before then");

    [Test]
    public void HotPlug_AfterTheDomainMigratedThere_IsAccepted() =>
        Assert.That(ScenarioLoader.Load(BaseYaml.Text.Replace("    host: h1\n    domain: web\n", "    host: h2\n", StringComparison.Ordinal)
            + "\nevents:\n  - { kind: hot-plug, at: 2s, host: h2, device: \"0000:03:00.0\", domain: web }\n", "s.yaml").Events, Has.Count.EqualTo(1));

    [Test]
    public void EventOnADomainThatIsGone_IsReported_NamingTheCrash()
    {
        var yaml = BaseYaml.Text + "\n  - { kind: host-crash, host: h2, at: 3s }\nevents:\n  - { kind: mem-sharing, at: 4s, domain: cache }\n";
        LoadError.AssertAt(yaml, "mem-sharing", "events[0].domain", "domain 'cache' is gone by 4 s", "faults[1]: host 'h2' crashes at 3 s");
    }

    [Test]
    public void DeviceEventOnACrashedHost_IsReported()
    {
        var yaml = BaseYaml.Text + "\n  - { kind: host-crash, host: h1, at: 3s }\nevents:\n  - { kind: device-broken, at: 4s, host: h1, device: \"0000:03:00.0\" }\n";
        LoadError.AssertAt(yaml, "device-broken", "events[0].at", "host 'h1' has crashed by then");
    }

    [Test]
    public void DomainOnlyKeys_OnADeviceEvent_AndDeviceKeys_OnADomainEvent_AreReported()
    {
        LoadError.AssertAt(WithEvent("{ kind: hot-unplug, at: 2s, host: h1, device: \"0000:03:00.0\", domain: web }"), "hot-unplug", "events[0].domain",
            "applies only to hot-plug, mem-sharing, mem-paging and the altp2m and sharing events");
        LoadError.AssertAt(WithEvent("{ kind: mem-paging, at: 2s, domain: web, host: h1 }"), "mem-paging", "events[0].host",
            "applies only to hot-plug, hot-unplug and device-broken");
    }

    [Test]
    public void MemSharing_ForADomainOnArm_IsReported()
    {
        var yaml = BaseYaml.With("  - name: h2\n    memory: 64GiB", "  - name: h2\n    memory: 64GiB\n    iommu: arm")
            .Replace("migrations:\n  - domain: web\n    to: h2\n    at: 1s\n", "", StringComparison.Ordinal) + "\nevents:\n  - { kind: mem-sharing, at: 2s, domain: cache }\n";
        LoadError.AssertAt(yaml, "mem-sharing, at", "events[0].domain", "mem_sharing exists only on x86; domain 'cache' runs on Arm host 'h2'");
    }
}
