using System.Text.Json;
using Microsoft.Data.Sqlite;
using Migration.Cli.Arguments;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Scenarios;
using Migration.Simulation.Running;

namespace Migration.Cli.Tests;

public class ReplayFailureTests
{
    [Test]
    public void ReplayVerify_OfATamperedJournal_ExitsOne()
    {
        using var temp = new TempDirectory();
        RecordTamperedRun(temp);

        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--verify");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failed), output + error);
        Assert.That(output, Does.Not.Contain("verified: the run reproduces exactly"));
        Assert.That(output, Does.Not.Contain("recorded by build"), "the same build recorded it: no version note");
    }

    [Test]
    public void ReplayVerify_ThatFails_ForARunRecordedByAnotherBuild_SaysWhichBuilds()
    {
        using var temp = new TempDirectory();
        RecordTamperedRun(temp);
        Execute(temp.File("journal.db"), "UPDATE runs SET engine_version = '0.9.0+older'");

        var (exitCode, output, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--verify");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failed), output + error);
        Assert.That(output, Does.Contain($"recorded by build 0.9.0+older; this is build {PersistenceExtension.EngineVersion}"));
    }

    private static void RecordTamperedRun(TempDirectory temp)
    {
        var (exitCode, output, error) = CliRunner.Run("run", "--scenario", "xl-vs-xapi", "--json", "--journal", temp.Journal);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Ok), error);
        using var json = JsonDocument.Parse(output);
        Tamper(temp.File("journal.db"), json.RootElement.GetProperty("runId").GetString()!);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1));
    }

    [Test]
    public void ReplayVerify_OfARunThatNeverCompleted_ExitsOne_SayingOnlyCompletedRunsCanBeVerified()
    {
        using var temp = new TempDirectory();
        using (var store = JournalUri.Open(temp.Journal))
        {
            var scenario = new ScenarioText(ScenarioCatalog.LoadBuiltIn("xl-vs-xapi"), ScenarioSource.BuiltInText("xl-vs-xapi"));
            var settings = Simulator.Settings(scenario, new RunOptions()).ToJson();
            store.CreateRun(new RunRecord("crashed", "xl-vs-xapi under has-devices, seed 1", 1, settings, PersistenceExtension.EngineVersion, null,
                DateTimeOffset.UnixEpoch, null, RunStatus.Running, 0));
        }
        var (exitCode, _, error) = CliRunner.Run("replay", "--journal", temp.Journal, "--run", "crashed", "--verify");
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error, Does.Contain("run 'crashed'").And.Contain("is running").And.Contain("only a completed run"));
    }

    // Rewrites the payload of the run's last stored verdict, as a disk or a hand might.
    private static void Tamper(string path, string runId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE journal SET message = x'0805' WHERE ordering = " +
                             "(SELECT MAX(ordering) FROM journal WHERE persistence_id = @id)";
        update.Parameters.AddWithValue("@id", runId + "/migration-0");
        Assert.That(update.ExecuteNonQuery(), Is.EqualTo(1), "the run's first migration has a stored verdict to tamper with");
    }
}
