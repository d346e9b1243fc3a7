using Migration.Scenarios.Model;
using Migration.Xen.Sharing;

namespace Migration.Scenarios.Tests.Loading;

/// <summary>The altp2m and sharing events and the scenario's <c>altp2m</c> rules: read, and each problem named at its line and field.</summary>
public class SharingEventErrorTests
{
    private static string WithEvent(string e, string top = "") => top + BaseYaml.Text + "\nevents:\n  - " + e + "\n";

    [Test]
    public void EachKind_IsRead_WithItsKeys()
    {
        var scenario = ScenarioLoader.Load(WithEvent(string.Join("\n  - ",
            "{ kind: altp2m-view, domain: web, at: 100ms }",
            "{ kind: altp2m-access, domain: web, view: 1, gfn: 0x200, access: rx, at: 200ms }",
            "{ kind: altp2m-remap, domain: web, view: 1, gfn: 0x300, to-gfn: 257, at: 300ms }",
            "{ kind: share, domain: web, gfn: 0x100, client: cache, client-gfn: 0x1ff, at: 400ms }",
            "{ kind: unshare, domain: web, gfn: 0x100, at: 500ms }")), "s.yaml");
        var e = scenario.Events;
        Assert.That(e.Select(x => x.Kind), Is.EqualTo(new[] { EventKind.Altp2mView, EventKind.Altp2mAccess, EventKind.Altp2mRemap, EventKind.Share, EventKind.Unshare }));
        Assert.That((e[1].View, e[1].Gfn, e[1].Access), Is.EqualTo(((int?)1, (long?)0x200, (PageAccess?)PageAccess.ReadExecute)));
        Assert.That((e[2].Gfn, e[2].ToGfn), Is.EqualTo(((long?)0x300, (long?)257)), "hexadecimal with 0x, or decimal");
        Assert.That((e[3].Client, e[3].ClientGfn), Is.EqualTo(("cache", (long?)0x1ff)));
        Assert.That(scenario.Altp2m, Is.Null, "not written: Xen's rules, and nothing in the digest");
    }

    [Test]
    public void TheAltp2mRules_AreRead()
    {
        var scenario = ScenarioLoader.Load(WithEvent("{ kind: altp2m-view, domain: web, at: 100ms }", "altp2m: patch-v4\n"), "s.yaml");
        Assert.That(scenario.Altp2m, Is.EqualTo(Altp2mSharingMode.PatchV4));
    }

    [Test]
    public void UnknownAltp2mRules_AreReported() =>
        LoadError.AssertAt(WithEvent("{ kind: altp2m-view, domain: web, at: 100ms }", "altp2m: lazy\n"), "altp2m: lazy", "altp2m",
            "'lazy' is not an altp2m sharing mode (valid: xen, patch-v4)");

    [Test]
    public void AMissingKey_IsReported_WithWhatItIsFor()
    {
        LoadError.AssertAt(WithEvent("{ kind: altp2m-access, domain: web, gfn: 0x1, access: r, at: 1s }"), "altp2m-access", "events[0]", "view is required for altp2m-access");
        LoadError.AssertAt(WithEvent("{ kind: altp2m-access, domain: web, view: 1, gfn: 0x1, at: 1s }"), "altp2m-access", "events[0]", "access is required for altp2m-access", "rwx, rx, r, n");
        LoadError.AssertAt(WithEvent("{ kind: altp2m-remap, domain: web, view: 1, gfn: 0x1, at: 1s }"), "altp2m-remap", "events[0]", "to-gfn is required for altp2m-remap");
        LoadError.AssertAt(WithEvent("{ kind: share, domain: web, gfn: 0x1, client-gfn: 0x1, at: 1s }"), "share", "events[0]", "client is required for share");
        LoadError.AssertAt(WithEvent("{ kind: unshare, domain: web, at: 1s }"), "unshare", "events[0]", "gfn is required for unshare");
        LoadError.AssertAt(WithEvent("{ kind: altp2m-view, at: 1s }"), "altp2m-view", "events[0].domain", "is required for altp2m-view");
    }

    [Test]
    public void AKeyOfAnotherKind_IsReported()
    {
        LoadError.AssertAt(WithEvent("{ kind: altp2m-view, domain: web, view: 2, at: 1s }"), "altp2m-view", "events[0].view", "applies only to altp2m-access and altp2m-remap");
        LoadError.AssertAt(WithEvent("{ kind: unshare, domain: web, gfn: 0x1, client: cache, at: 1s }"), "unshare", "events[0].client", "applies only to share");
        LoadError.AssertAt(WithEvent("{ kind: mem-sharing, domain: web, gfn: 0x1, at: 1s }"), "mem-sharing", "events[0].gfn", "applies only to altp2m-access, altp2m-remap, share and unshare");
        LoadError.AssertAt(WithEvent("{ kind: share, host: h1, domain: web, gfn: 0x1, client: cache, client-gfn: 0x1, at: 1s }"), "share", "events[0].host",
            "share happens wherever the domain runs then");
    }

    [Test]
    public void BadValues_AreReported_AtTheirField()
    {
        LoadError.AssertAt(WithEvent("{ kind: altp2m-access, domain: web, view: 11, gfn: 0x1, access: r, at: 1s }"), "altp2m-access", "events[0].view", "view 11 is outside 1 to 10 (MAX_ALTP2M)");
        LoadError.AssertAt(WithEvent("{ kind: altp2m-access, domain: web, view: 1, gfn: 0x1, access: w, at: 1s }"), "altp2m-access", "events[0].access", "'w' is not a page access");
        LoadError.AssertAt(WithEvent("{ kind: unshare, domain: web, gfn: 0x40000, at: 1s }"), "unshare", "events[0].gfn", "gfn 0x40000 is outside domain 'web' (1 GiB: gfns 0x0 to 0x3ffff)");
        LoadError.AssertAt(WithEvent("{ kind: unshare, domain: web, gfn: -3, at: 1s }"), "unshare", "events[0].gfn", "'-3' is not a gfn");
        LoadError.AssertAt(WithEvent("{ kind: unshare, domain: web, gfn: 0xzz, at: 1s }"), "unshare", "events[0].gfn", "'0xzz' is not a gfn");
        LoadError.AssertAt(WithEvent("{ kind: share, domain: web, gfn: 0x1, client: web, client-gfn: 0x1, at: 1s }"), "share", "events[0].client", "is domain 'web' itself");
        LoadError.AssertAt(WithEvent("{ kind: share, domain: web, gfn: 0x1, client: nobody, client-gfn: 0x1, at: 1s }"), "share", "events[0].client", "nobody");
        LoadError.AssertAt(WithEvent("{ kind: share, domain: web, gfn: 0x1, client: cache, client-gfn: 0x80000, at: 1s }"), "share", "events[0].client-gfn",
            "outside domain 'cache' (2 GiB");
    }

    [Test]
    public void AnArmDomain_IsReported()
    {
        const string yaml = """
            hosts:
              - { name: a1, iommu: arm, memory: 8GiB }
            domains:
              - { name: guest, host: a1, memory: 1GiB }
            migrations: []
            events:
              - { kind: altp2m-view, domain: guest, at: 1s }
            """;
        LoadError.AssertAt(yaml, "altp2m-view", "events[0].domain", "altp2m exists only on x86", "Arm host 'a1'");
    }

    [Test]
    public void AClientOnArm_IsReported()
    {
        const string yaml = """
            hosts:
              - { name: x1, memory: 8GiB }
              - { name: a1, iommu: arm, memory: 8GiB }
            domains:
              - { name: guest, host: x1, memory: 1GiB }
              - { name: other, host: a1, memory: 1GiB }
            migrations: []
            events:
              - { kind: share, domain: guest, gfn: 0x1, client: other, client-gfn: 0x1, at: 1s }
            """;
        LoadError.AssertAt(yaml, "kind: share", "events[0].client", "mem_sharing exists only on x86; domain 'other' runs on Arm host 'a1'");
    }

    [Test]
    public void TheNewKeys_AreLeftOutOfTheScenarioDigest_WhenAbsent()
    {
        var scenario = ScenarioLoader.Load(WithEvent("{ kind: mem-sharing, at: 2s, domain: web }"), "events.yaml");
        var json = System.Text.Json.JsonSerializer.Serialize(scenario);
        foreach (var name in new[] { "Altp2m", "IsSharingEvent", "View", "Gfn", "ToGfn", "Access", "Client", "ClientGfn" })
            Assert.That(json, Does.Not.Contain($"\"{name}\""), name);
    }
}
