namespace Migration.Cli.Tests;

public class ListCommandTests
{
    [Test]
    public void Policies_ListsAllSeven_OneLineEach_WithWhatTheyRefuseAndWhereTheyComeFrom()
    {
        var (exitCode, output, _) = CliRunner.Run("policies");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.That(lines.Select(l => l.Split(' ')[0]),
            Is.EqualTo(new[] { "iommu-enabled", "has-devices", "shared-pt", "bus-master", "declared-read-only", "external-dirty", "toolstack-decides" }));
        Assert.That(lines[1], Does.Contain("has_arch_pdevs").And.Contain("9ef9f69466"));
    }

    [Test]
    public void Scenarios_ListsEveryBuiltIn_WithItsDescriptionAndOrigin()
    {
        var (exitCode, output, _) = CliRunner.Run("scenarios");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.That(lines.Select(l => l.Split(' ')[0]), Is.EqualTo(Migration.Scenarios.ScenarioCatalog.BuiltInNames));
        Assert.That(lines.Select(l => l.Split(' ')[0]), Does.Contain("thread-arguments").And.Contain("xl-vs-xapi"));
        Assert.That(lines.Single(l => l.StartsWith("thread-arguments ", StringComparison.Ordinal)), Does.Contain("Every argument of the thread").And.Contain("seeds/002"));
    }

    [Test]
    public void Help_ListsEveryCommand()
    {
        var (exitCode, output, _) = CliRunner.Run("--help");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok));
        foreach (var command in new[] { "run", "experiment", "policies", "modes", "scenarios", "runs", "replay", "bench" })
            Assert.That(output, Does.Match($@"(?m)^\s+{command}\s"), command);
    }
}
