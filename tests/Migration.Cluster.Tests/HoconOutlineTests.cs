using Migration.Cluster.Configuration;

namespace Migration.Cluster.Tests;

/// <summary>The structural read that runs before Akka's parser: every malformed file named by line, none able to hang it.</summary>
public sealed class HoconOutlineTests
{
    private static string ErrorOf(string text) => Assert.Throws<ClusterConfigException>(() => HoconOutline.Read(text, "c.conf"))!.Message;

    [Test]
    public void AnArrayLeftOpenBeforeABrace_IsAnError_NotAHang()
    {
        // Akka's own parser never returns on this input.
        Assert.That(ErrorOf("a {\n  b = [1, 2\n}\n"), Is.EqualTo("c.conf:3: '}' closes the '[' opened at line 2"));
    }

    [TestCase("a {\n  b = 1\n", "c.conf:1: the '{' opened here is never closed")]
    [TestCase("a = [1,\n 2\n", "c.conf:1: the '[' opened here is never closed")]
    [TestCase("a = 1\n}\n", "c.conf:2: '}' closes nothing")]
    [TestCase("a {\n  b =\n}\n", "c.conf:2: 'b' has no value after its '='")]
    [TestCase("a = \"open\nb = 2\n", "c.conf:1: a string is not closed on its line (a '\"' is missing)")]
    [TestCase("a = ${b\nc = 1\n", "c.conf:1: a ${...} substitution is not closed on its line")]
    [TestCase("a\nb = 1\n", "c.conf:1: 'a' has no value (write a = VALUE)")]
    [TestCase("a = \"\"\"never\nclosed\n", "c.conf:1: the \"\"\" string opened here is never closed")]
    public void MalformedText_IsNamedByLine(string text, string message) => Assert.That(ErrorOf(text), Is.EqualTo(message));

    [Test]
    public void KeyPaths_AreRecordedWithTheirLines_ThroughObjectsAndLists()
    {
        var outline = HoconOutline.Read("""
            # a comment
            migration {
              cluster {
                nodes = [
                  { name = a, port = 1 }
                  {
                    name = b
                    port = 2 // trailing comment
                  }
                ]
              }
            }
            akka.cluster.seed-nodes = ["x"]
            """, "c.conf");
        Assert.That(outline.LineOf("migration.cluster.nodes"), Is.EqualTo(4));
        Assert.That(outline.LineOf("migration.cluster.nodes[0].port"), Is.EqualTo(5));
        Assert.That(outline.LineOf("migration.cluster.nodes[1]"), Is.EqualTo(6));
        Assert.That(outline.LineOf("migration.cluster.nodes[1].port"), Is.EqualTo(8));
        Assert.That(outline.LineOf("akka.cluster.seed-nodes"), Is.EqualTo(13));
        Assert.That(outline.LineOf("migration.cluster.nodes[1].hosts"), Is.EqualTo(6), "an unwritten key: its nearest written parent");
    }

    [Test]
    public void TheShippedConfigs_AreWellFormed()
    {
        foreach (var file in ShippedConfigs.Files) Assert.DoesNotThrow(() => HoconOutline.Read(File.ReadAllText(file), file), file);
    }
}
