using System.Text.Json;

namespace Migration.Cli.Tests;

public class BenchCommandTests
{
    [Test]
    public void BenchEngineJson_PrintsOneObjectPerBenchmark_WithTheDocumentedFields()
    {
        var (exitCode, output, error) = CliRunner.Run("bench", "engine", "--json", "--quick");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), output);
        var names = new List<string>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            names.Add(root.GetProperty("name").GetString()!);
            var perSecond = root.GetProperty("messagesPerSecond").GetDouble();
            var baseline = root.GetProperty("baselinePerSecond").GetDouble();
            Assert.That(perSecond, Is.GreaterThan(0), line);
            Assert.That(baseline, Is.GreaterThan(0), line);
            Assert.That(root.GetProperty("ratio").GetDouble(), Is.EqualTo(perSecond / baseline).Within(0.01), line);
        }
        Assert.That(names, Is.EqualTo(new[] { "ping-pong", "fan-out-10k", "timers-100k" }));
        Assert.That(error, Does.Contain("ping-pong done"), "progress goes to stderr");
    }

    [Test]
    public void BenchEngine_WithoutJson_PrintsATable()
    {
        var (exitCode, output, _) = CliRunner.Run("bench", "engine", "--quick", "--only", "ping-pong");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Contain("ping-pong").And.Contain("ratio").And.Contain("baseline"));
        Assert.That(output, Does.Not.Contain("fan-out-10k"));
    }

    [Test]
    public void BenchEngine_UnknownBenchmarkName_IsBadInput_ListingTheValidNames()
    {
        var (exitCode, output, error) = CliRunner.Run("bench", "engine", "--only", "nope");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("nope").And.Contain("ping-pong").And.Contain("timers-100k"));
    }

    [Test]
    public void UnknownOption_IsBadInput_NamingTheOption()
    {
        var (exitCode, _, error) = CliRunner.Run("bench", "engine", "--bogus");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("--bogus").And.Contain("migration --help"));
    }

    [Test]
    public void UnknownCommand_IsBadInput()
    {
        var (exitCode, _, error) = CliRunner.Run("fly");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("fly"));
    }

    [Test]
    public void Help_ListsTheBenchCommand()
    {
        var (exitCode, output, _) = CliRunner.Run("--help");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Contain("bench"));
    }
}

public class BenchJournalCommandTests
{
    [Test]
    public void BenchJournalJson_WithoutPostgres_MeasuresSqliteAndSaysSo()
    {
        var saved = Environment.GetEnvironmentVariable("MIGRATION_POSTGRES");
        Environment.SetEnvironmentVariable("MIGRATION_POSTGRES", null);
        try
        {
            var (exitCode, output, error) = CliRunner.Run("bench", "journal", "--json", "--quick");
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(error, Does.Contain("no PostgreSQL connection").And.Contain("measuring SQLite only"));
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var names = new List<string>();
            foreach (var line in lines)
            {
                using var json = System.Text.Json.JsonDocument.Parse(line);
                var root = json.RootElement;
                names.Add(root.GetProperty("name").GetString()!);
                var perSecond = root.GetProperty("eventsPerSecond").GetDouble();
                var baseline = root.GetProperty("baselinePerSecond").GetDouble();
                Assert.That(perSecond, Is.GreaterThan(0), line);
                Assert.That(root.GetProperty("ratio").GetDouble(), Is.EqualTo(perSecond / baseline).Within(0.01), line);
            }
            Assert.That(names, Is.EqualTo(new[] { "sqlite-persist", "sqlite-replay" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MIGRATION_POSTGRES", saved);
        }
    }

    [Test]
    public void BenchJournal_WithAnUnreachablePostgres_FailsNamingIt()
    {
        var (exitCode, _, error) = CliRunner.Run("bench", "journal", "--quick", "--postgres", "Host=127.0.0.1;Port=1;Username=u;Password=secret;Database=d;Timeout=2");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error, Does.Contain("cannot reach PostgreSQL at 127.0.0.1:1"));
        Assert.That(error, Does.Not.Contain("secret"));
    }
}
