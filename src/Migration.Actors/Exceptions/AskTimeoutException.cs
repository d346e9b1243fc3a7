namespace Migration.Actors;

/// <summary>No reply arrived within the Ask's timeout, measured in virtual time.</summary>
public sealed class AskTimeoutException(string message) : TimeoutException(message);
