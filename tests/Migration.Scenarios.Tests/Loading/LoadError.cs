using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests.Loading;

/// <summary>Loads YAML that must fail and checks where the message says the problem is.</summary>
internal static class LoadError
{
    public const string Source = "scenario.yaml";

    /// <summary>
    /// Asserts that loading fails with a message starting <c>scenario.yaml:LINE: PATH: </c>, LINE being
    /// the one line of <paramref name="yaml"/> that contains <paramref name="lineText"/>, and that it
    /// contains every one of <paramref name="fragments"/>.
    /// </summary>
    public static void AssertAt(string yaml, string lineText, string path, params string[] fragments) =>
        AssertAtLine(yaml, LineOf(yaml, lineText), path, fragments);

    public static void AssertAtLine(string yaml, int line, string path, params string[] fragments)
    {
        var message = MessageOf(yaml);
        Assert.That(message, Does.StartWith($"{Source}:{line}: {path}: "), message);
        foreach (var fragment in fragments) Assert.That(message, Does.Contain(fragment));
    }

    public static string MessageOf(string yaml) => Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(yaml, Source))!.Message;

    public static int LineOf(string yaml, string lineText)
    {
        var lines = yaml.Split('\n');
        var matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(lineText, StringComparison.Ordinal)).ToArray();
        Assert.That(matches, Has.Length.EqualTo(1), $"the test's YAML should have exactly one line containing '{lineText}'");
        return matches[0] + 1;
    }
}
