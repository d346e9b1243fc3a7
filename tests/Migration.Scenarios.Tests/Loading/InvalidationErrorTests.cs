using Migration.Xen.Iommu;

namespace Migration.Scenarios.Tests.Loading;

/// <summary>A device's <c>ats</c> and <c>flush</c>, and the scenario's <c>iommu.invalidation</c>: read, and each problem named at its line and field.</summary>
public class InvalidationErrorTests
{
    private static string WithDevice(string extra) => BaseYaml.With("    domain: web\n", "    domain: web\n" + extra);

    private static string WithMode(string mode) => BaseYaml.Text + "\niommu:\n  invalidation: " + mode + "\n";

    [Test]
    public void AtsFlushAndMode_AreRead()
    {
        var scenario = ScenarioLoader.Load(WithMode("async-hold").Replace("    domain: web\n", "    domain: web\n    ats: true\n    flush: 2.5s\n", StringComparison.Ordinal), "ats.yaml");
        var device = scenario.Devices.Single();
        Assert.That((device.Ats, device.FlushLatency), Is.EqualTo((true, TimeSpan.FromSeconds(2.5))));
        Assert.That(scenario.Iommu!.Invalidation, Is.EqualTo(InvalidationMode.AsyncHold));
        Assert.That(scenario.Iommu.InjectsFailures, Is.False, "a mode alone injects no failure");
    }

    [Test]
    public void WithoutThem_NoDeviceHasAts_AndNoModeIsNamed()
    {
        var scenario = ScenarioLoader.Load(BaseYaml.Text, "base.yaml");
        Assert.That((scenario.Devices.Single().Ats, scenario.Devices.Single().FlushLatency, scenario.Iommu), Is.EqualTo((false, TimeSpan.Zero, (object?)null)));
    }

    [TestCase("spin", InvalidationMode.Spin)]
    [TestCase("timeout", InvalidationMode.Timeout)]
    [TestCase("async-hold", InvalidationMode.AsyncHold)]
    [TestCase("deferred", InvalidationMode.Deferred)]
    public void EveryModesName_IsRead(string name, InvalidationMode mode) =>
        Assert.That(ScenarioLoader.Load(WithMode(name), "mode.yaml").Iommu!.Invalidation, Is.EqualTo(mode));

    [Test]
    public void AnUnknownMode_IsReported_WithTheValidNames() =>
        LoadError.AssertAt(WithMode("lazy"), "invalidation", "iommu.invalidation", "spin, timeout, async-hold, deferred");

    [Test]
    public void AFlushWithoutAts_IsReported() =>
        LoadError.AssertAt(WithDevice("    flush: 1s\n"), "flush", "devices[0].flush", "only a device with a Device-TLB of its own flushes one: add ats: true");

    [Test]
    public void AFlushPastTheAtsLimit_IsReported() =>
        LoadError.AssertAt(WithDevice("    ats: true\n    flush: 90s\n"), "flush", "devices[0].flush", "90 s is outside 0 to 60 s, the time the ATS specification gives a device");

    [Test]
    public void AFlushThatIsNotADuration_IsReported() =>
        LoadError.AssertAt(WithDevice("    ats: true\n    flush: soon\n"), "flush", "devices[0].flush", "soon");

    [Test]
    public void TranslationFaults_AreRead_AndAnUnknownModeIsReported()
    {
        Assert.That(ScenarioLoader.Load(BaseYaml.Text + "\niommu:\n  translation-faults: stall\n", "stall.yaml").Iommu!.TranslationFaults, Is.EqualTo(TranslationFaultMode.Stall));
        LoadError.AssertAt(BaseYaml.Text + "\niommu:\n  translation-faults: retry\n", "translation-faults", "iommu.translation-faults", "terminate, stall");
    }
}
