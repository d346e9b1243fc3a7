namespace Migration.Persistence;

/// <summary>
/// A journal that cannot be used as asked: a bad URI, a database that is missing or refuses us, a
/// schema of another version. The message says what and where, and what to do.
/// </summary>
public class JournalException : Exception
{
    public JournalException(string message)
        : base(message)
    {
    }

    public JournalException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
