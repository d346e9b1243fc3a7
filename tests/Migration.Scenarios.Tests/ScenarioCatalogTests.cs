using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests;

public class ScenarioCatalogTests
{
    [Test]
    public void BuiltInNames_AreSorted() =>
        Assert.That(ScenarioCatalog.BuiltInNames, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));

    [Test]
    public void EveryBuiltIn_Loads_UnderItsOwnName()
    {
        foreach (var name in ScenarioCatalog.BuiltInNames)
        {
            Assert.That(ScenarioCatalog.LoadBuiltIn(name).Name, Is.EqualTo(name));
        }
    }

    [Test]
    public void BuiltIns_AreParsedOnce_EvenWhenAskedInParallel()
    {
        foreach (var name in ScenarioCatalog.BuiltInNames)
        {
            var loaded = Enumerable.Range(0, 8).AsParallel().Select(_ => ScenarioCatalog.LoadBuiltIn(name)).ToArray();
            Assert.That(loaded.Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(1), name);
            Assert.That(ScenarioCatalog.Resolve(name), Is.SameAs(loaded[0]));
        }
    }

    [Test]
    public void UnknownName_IsReported_WithTheBuiltInNames()
    {
        var problem = Assert.Throws<ScenarioException>(() => ScenarioCatalog.Resolve("no-such-scenario"))!;
        Assert.That(problem.Message, Does.StartWith("'no-such-scenario' is neither a scenario file nor a built-in scenario (built-ins: "));
        foreach (var name in ScenarioCatalog.BuiltInNames) Assert.That(problem.Message, Does.Contain(name));
    }

    [Test]
    public void UnknownBuiltIn_IsReported_WithTheBuiltInNames() =>
        Assert.That(Assert.Throws<ScenarioException>(() => ScenarioCatalog.LoadBuiltIn("nope"))!.Message,
            Does.StartWith("'nope' is not a built-in scenario (built-ins: "));

    [TestCase("missing.yaml")]
    [TestCase("missing.yml")]
    [TestCase("some/dir/missing")]
    public void PathLikeNames_AreReadAsFiles_AndAMissingOneNamesItsPath(string path) =>
        Assert.That(Assert.Throws<ScenarioException>(() => ScenarioCatalog.Resolve(path))!.Message, Does.StartWith($"{path}: cannot read the scenario file"));

    [Test]
    public void FileWithoutAYamlExtension_IsResolved_ByItsPath()
    {
        var directory = Directory.CreateTempSubdirectory("migration-scenarios-tests-");
        try
        {
            var path = Path.Combine(directory.FullName, "plain");
            File.WriteAllText(path, "hosts:\n  - name: h1\n    memory: 1GiB\n");

            Assert.That(ScenarioCatalog.Resolve(path).Name, Is.EqualTo("plain"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void DefaultName_IsThreadArguments() => Assert.That(ScenarioCatalog.DefaultName, Is.EqualTo("thread-arguments"));
}
