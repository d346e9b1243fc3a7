namespace Migration.Persistence;

/// <summary>The journal's schema is older or newer than this build reads; it is reported, never silently used.</summary>
public sealed class JournalSchemaException(string message) : JournalException(message);
