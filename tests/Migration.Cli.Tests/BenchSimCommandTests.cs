namespace Migration.Cli.Tests;

public class BenchSimCommandTests
{
    [Test]
    public void BenchSimJson_PrintsOneObjectPerBenchmark_WithExactlyTheDocumentedFields()
    {
        var (exitCode, output, error) = CliRunner.Run("bench", "sim", "--json", "--quick");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.That(root.EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "name", "hosts", "virtualSeconds", "wallSeconds", "virtualSecondsPerWallSecond" }), line);
            Assert.That(root.GetProperty("hosts").GetInt32(), Is.GreaterThan(0), line);
            Assert.That(root.GetProperty("virtualSeconds").GetDouble(), Is.GreaterThan(0), line);
        }
        Assert.That(error, Does.Contain("bench sim:"), "progress goes to stderr");
    }

    [Test]
    public void BenchSim_WithoutJson_PrintsATable()
    {
        var (exitCode, output, error) = CliRunner.Run("bench", "sim", "--quick");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Does.Contain("hosts").And.Contain("virtual s").And.Contain("wall s").And.Contain("virtual s per wall s"));
    }

    [Test]
    public void BenchSim_UnknownOption_IsBadInput()
    {
        var (exitCode, _, error) = CliRunner.Run("bench", "sim", "--only", "x");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("--only"));
    }
}
