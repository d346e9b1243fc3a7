namespace Migration.Persistence.Tests;

public class JournalUriTests
{
    [TestCase("mysql://x", "must start with 'sqlite:'")]
    [TestCase("sqlite:", "names no file")]
    [TestCase("postgres:", "no connection string")]
    [TestCase("sqlite:/definitely/not/here/journal.db", "the directory /definitely/not/here does not exist")]
    [TestCase("postgres:garbage=1;Host=x", "the connection string is malformed")]
    public void ABadUri_SaysWhatIsWrong(string uri, string message)
    {
        var failure = Assert.Throws<JournalException>(() => JournalUri.Open(uri));
        Assert.That(failure!.Message, Does.Contain(message));
    }

    [Test]
    public void AFileThatIsNotADatabase_IsNamed()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("migration-uri-").FullName, "notes.txt");
        File.WriteAllText(path, "these are not the tables you are looking for, padded to be long enough to have a header");
        var failure = Assert.Throws<JournalException>(() => JournalUri.Open("sqlite:" + path));
        Assert.That(failure!.Message, Does.Contain("is not a SQLite database").And.Contain(path));
        Assert.That(File.ReadAllText(path), Does.StartWith("these are not"), "the file was not touched");
    }

    [Test]
    public void APasswordIsNeverEchoed()
    {
        var failure = Assert.Throws<JournalException>(() => JournalUri.Open("oracle:User=x;Password=hunter2"));
        Assert.That(failure!.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void WrongPostgresCredentials_AreNamed()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.Require()) { Password = "wrong-password" };
        var failure = Assert.Throws<JournalException>(() => JournalUri.Open("postgres:" + builder.ConnectionString));
        Assert.That(failure!.Message, Does.Contain($"refused the login for user '{builder.Username}'"));
        Assert.That(failure.Message, Does.Not.Contain("wrong-password"));
    }

    [Test]
    public void AMissingPostgresDatabase_IsNamed()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.Require()) { Database = "no_such_database" };
        var failure = Assert.Throws<JournalException>(() => JournalUri.Open("postgres:" + builder.ConnectionString));
        Assert.That(failure!.Message, Does.Contain("the database 'no_such_database' does not exist"));
    }

    [Test]
    public void AnUnreachablePostgres_IsNamed()
    {
        var failure = Assert.Throws<JournalException>(() => JournalUri.Open("postgres:Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d;Timeout=2"));
        Assert.That(failure!.Message, Does.Contain("cannot reach PostgreSQL at 127.0.0.1:1"));
    }
}
