namespace Migration.Xen.Tests;

public class SplitMixTests
{
    [TestCase(1UL, "workload/", "dom-7")]
    [TestCase(42UL, "", "vm-0")]
    [TestCase(9UL, "device/3/", "")]
    public void DeriveFromTwoParts_EqualsDeriveFromTheJoinedLabel(ulong seed, string prefix, string label)
    {
        Assert.That(SplitMix.Derive(seed, prefix, label), Is.EqualTo(SplitMix.Derive(seed, prefix + label)));
        Assert.That(SplitMix.DeriveFromKey(seed, SplitMix.LabelKey(prefix, label)), Is.EqualTo(SplitMix.Derive(seed, prefix + label)),
            "a label's key, computed once, derives the same seed");
    }

    [Test]
    public void Derive_DependsOnTheSeedAndOnTheLabel()
    {
        Assert.That(SplitMix.Derive(1, "dom-1"), Is.Not.EqualTo(SplitMix.Derive(2, "dom-1")));
        Assert.That(SplitMix.Derive(1, "dom-1"), Is.Not.EqualTo(SplitMix.Derive(1, "dom-2")));
    }
}
