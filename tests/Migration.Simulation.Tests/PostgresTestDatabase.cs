using Npgsql;

namespace Migration.Simulation.Tests;

/// <summary>
/// The PostgreSQL the tests use: the connection string in MIGRATION_TEST_POSTGRES (CI starts a
/// server and sets it). Without it the PostgreSQL tests are skipped, saying so; with CI=true a
/// missing server is a failure. Each test works in a schema of its own, dropped afterwards.
/// </summary>
internal static class PostgresTestDatabase
{
    public const string Variable = "MIGRATION_TEST_POSTGRES";

    public static string Require()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(connectionString)) return connectionString;
        const string why = "PostgreSQL tests need a server: set " + Variable + " to an Npgsql connection string (see README)";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(why + "; in CI a missing service is a failure");
        Assert.Ignore(why);
        return null!;
    }

    /// <summary>A connection string whose search path is a new, empty schema.</summary>
    public static string CreateSchema(string schema)
    {
        var connectionString = Require();
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
    }

    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(Require());
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        drop.ExecuteNonQuery();
    }
}
