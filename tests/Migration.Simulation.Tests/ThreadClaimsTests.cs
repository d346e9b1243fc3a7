using Migration.Xen;
using Migration.Xen.Oracle;
using Migration.Xen.Policies;
using Migration.Xen.Toolstacks;
using static Migration.Simulation.Tests.Scenarios;

namespace Migration.Simulation.Tests;

/// <summary>The claims of seeds/002, each reproduced on the built-in scenario that isolates it.</summary>
public sealed class ThreadClaimsTests
{
    [Test]
    public void Claim1_IommuWithoutDevice_IsVetoedNeedlessly_UnderIommuEnabled_AndMigrates_UnderHasDevices()
    {
        var vetoed = Run(BuiltIn("iommu-no-device"), VetoPolicy.IommuEnabled);
        var refused = Only(vetoed);
        Assert.That(refused.Outcome, Is.EqualTo(Outcome.NeedlessVeto), Describe(refused, vetoed));
        Assert.That(refused.Refusal!.Rule, Is.EqualTo("log-dirty/iommu-enabled"));
        Assert.That(vetoed.CounterfactualRuns, Is.EqualTo(1));
        var allowed = Run(BuiltIn("iommu-no-device"), VetoPolicy.HasDevices);
        Assert.That(Only(allowed).Outcome, Is.EqualTo(Outcome.Completed), Describe(Only(allowed), allowed));
    }

    [Test]
    public void Claim2_WriterOnSeparateTables_IsCorruptedUnderXl_AndRefusedByXapi()
    {
        var report = Run(BuiltIn("xl-vs-xapi"), VetoPolicy.ToolstackDecides);
        var xl = Of(report, "xl-guest");
        Assert.That(xl.Outcome, Is.EqualTo(Outcome.Corrupted), Describe(xl, report));
        Assert.That(xl.StalePages, Is.GreaterThan(0));
        var xapi = Of(report, "xapi-guest");
        Assert.That(xapi.Outcome, Is.EqualTo(Outcome.Vetoed), "a justified veto: the counterfactual corrupts. " + Describe(xapi, report));
        Assert.That(xapi.Refusal!.By, Is.EqualTo(Refuser.SourceToolstack));
        Assert.That(xapi.Refusal.Rule, Is.EqualTo("VM_HAS_PCI_ATTACHED"));
    }

    [Test]
    public void Claim2_TheSameDomain_WithEveryHostOnXapi_IsRefusedEverywhere()
    {
        var report = Run(BuiltIn("xl-vs-xapi"), VetoPolicy.ToolstackDecides, ToolstackKind.Xapi);
        Assert.That(report.Migrations.All(m => m.Refusal?.Rule == "VM_HAS_PCI_ATTACHED"), Is.True, string.Join("; ", report.Migrations.Select(m => Describe(m, report))));
    }

    [Test]
    public void Claim3_WriterOnSharedTables_FaultsWhileLogDirtyIsOn()
    {
        var report = Run(BuiltIn("shared-vs-separate"), VetoPolicy.ToolstackDecides);
        var shared = Of(report, "shared-guest");
        Assert.That(shared.Outcome, Is.EqualTo(Outcome.Faulted), Describe(shared, report));
        Assert.That(shared.DmaFaults, Is.GreaterThan(0));
        Assert.That(shared.StalePages, Is.Zero, "a faulted write changed nothing");
        Assert.That(Of(report, "separate-guest").Outcome, Is.EqualTo(Outcome.Corrupted), Describe(Of(report, "separate-guest"), report));
    }

    [Test]
    public void Claim4_ADeviceThatOnlyReads_NeverCorrupts([Values(1UL, 2UL, 3UL, 4UL, 5UL)] ulong seed)
    {
        var report = Run(BuiltIn("dma-read-only"), VetoPolicy.ToolstackDecides, seed: seed);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Completed), Describe(migration, report));
        Assert.That(migration.StalePages, Is.Zero);
        var vetoed = Run(BuiltIn("dma-read-only"), VetoPolicy.HasDevices, seed: seed);
        Assert.That(Only(vetoed).Outcome, Is.EqualTo(Outcome.NeedlessVeto), Describe(Only(vetoed), vetoed));
    }

    [Test]
    public void Claim5_ReportedWriter_Completes_UnderExternalDirty_AndTheUnreportedOne_IsRefused()
    {
        var report = Run(BuiltIn("emulator-reports-dirty"), VetoPolicy.ExternalDirty);
        var reported = Of(report, "reported");
        Assert.That(reported.Outcome, Is.EqualTo(Outcome.Completed), Describe(reported, report));
        var unreported = Of(report, "unreported");
        Assert.That(unreported.Outcome, Is.EqualTo(Outcome.Vetoed), Describe(unreported, report));
        Assert.That(unreported.Refusal!.Rule, Is.EqualTo("log-dirty/external-dirty"));
        var permissive = Run(BuiltIn("emulator-reports-dirty"), VetoPolicy.ToolstackDecides);
        Assert.That(Of(permissive, "reported").Outcome, Is.EqualTo(Outcome.Completed), "the emulator's reports are what keep it clean");
        Assert.That(Of(permissive, "unreported").Outcome, Is.EqualTo(Outcome.Corrupted), Describe(Of(permissive, "unreported"), permissive));
    }

    [Test]
    public void Claim6_UnplugAndReplug_MigratesCleanly_UnderHasDevices()
    {
        var report = Run(BuiltIn("unplug-replug"), VetoPolicy.HasDevices);
        var migration = Only(report);
        Assert.That(migration.Outcome, Is.EqualTo(Outcome.Completed), Describe(migration, report));
        Assert.That(migration.StalePages, Is.Zero);
        var devBroke = Run(BuiltIn("unplug-replug"), VetoPolicy.IommuEnabled);
        Assert.That(Only(devBroke).Refusal?.Rule, Is.EqualTo("log-dirty/iommu-enabled"), "4.13 development broke the workaround: the IOMMU stays enabled");
    }
}
