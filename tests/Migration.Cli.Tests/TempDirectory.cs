namespace Migration.Cli.Tests;

/// <summary>A directory of one test's own under the system's temporary directory, deleted with everything in it.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "migration-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A SQLite journal URI in this directory.</summary>
    public string Journal => "sqlite:" + File("journal.db");

    public void Dispose()
    {
        // SQLite may hold the file a moment after the store is disposed (pooling is off, but the OS may lag): a leftover is harmless.
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
