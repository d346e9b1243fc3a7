using Migration.Xen.Toolstacks;

namespace Migration.Xen.Tests;

/// <summary>Which TSC a guest relies on (nomigrate exposes invariant TSC on x86) and which destinations keep it native.</summary>
public sealed class TscRulesTests
{
    [TestCase(TscMode.Default, false, IommuVendor.Intel, TscMode.Default)]
    [TestCase(TscMode.Default, true, IommuVendor.Intel, TscMode.Invariant)]
    [TestCase(TscMode.Default, true, IommuVendor.Amd, TscMode.Invariant)]
    [TestCase(TscMode.Emulated, true, IommuVendor.Intel, TscMode.Emulated)]
    [TestCase(TscMode.Invariant, false, IommuVendor.Intel, TscMode.Invariant)]
    [TestCase(TscMode.Default, true, IommuVendor.Arm, TscMode.Default)]
    public void Nomigrate_ExposesInvariantTsc_OnX86Only(TscMode declared, bool nomigrate, IommuVendor vendor, TscMode expected)
    {
        Assert.That(TscRules.Effective(declared, nomigrate, vendor), Is.EqualTo(expected));
    }

    [TestCase(TscMode.Invariant, false, 2_000_000, 2_400_000, false)]
    [TestCase(TscMode.Invariant, true, 2_000_000, 2_400_000, true)]
    [TestCase(TscMode.Invariant, false, 2_400_000, 2_400_000, true)]
    [TestCase(TscMode.Default, false, 2_000_000, 2_400_000, true)]
    [TestCase(TscMode.Emulated, false, 2_000_000, 2_400_000, true)]
    public void AnInvariantTsc_StaysNative_WithScalingOrTheSameFrequency(TscMode tsc, bool scales, long destinationKhz, long guestKhz, bool native)
    {
        Assert.That(TscRules.NativeOnDestination(tsc, scales, destinationKhz, guestKhz), Is.EqualTo(native));
    }
}
