using Migration.Persistence.Journal;

namespace Migration.Persistence.Tests;

/// <summary>A fresh journal on the fixture's back end for every test, disposed afterwards.</summary>
public abstract class BackendFixture(string backendName)
{
    protected JournalBackend Backend { get; private set; } = null!;

    protected IJournalStore Store { get; set; } = null!;

    [SetUp]
    public void OpenFreshJournal()
    {
        Backend = JournalBackend.Create(backendName);
        Store = Backend.Open();
    }

    [TearDown]
    public void DisposeJournal()
    {
        Store?.Dispose();
        Backend?.Dispose();
    }
}
