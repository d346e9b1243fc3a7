using Npgsql;

namespace Migration.Persistence.Tests;

/// <summary>
/// The PostgreSQL the tests use: the connection string in MIGRATION_TEST_POSTGRES (CI starts a
/// server and sets it), or else a throwaway server the tests start themselves where PostgreSQL's
/// server package is installed (<see cref="ThrowawayPostgres"/>). Without either the PostgreSQL
/// tests are skipped, saying why; with CI=true a missing server is a failure. Each test gets a
/// schema of its own, dropped afterwards.
/// </summary>
public static class PostgresTestDatabase
{
    public const string Variable = "MIGRATION_TEST_POSTGRES";

    public static string Require()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(connectionString)) return connectionString;
        var (throwaway, whyNot) = ThrowawayPostgres.Get();
        if (throwaway is not null) return throwaway;
        var why = $"PostgreSQL tests need a server: set {Variable} to an Npgsql connection string (see README), or install PostgreSQL's server package; {whyNot}";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(why + "; in CI a missing service is a failure");
        Assert.Ignore(why);
        return null!;
    }

    /// <summary>A connection string whose search path is a new, empty schema.</summary>
    public static string CreateSchema(out string schema)
    {
        var connectionString = Require();
        // Test isolation only (no simulated behaviour reads this).
        schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
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
