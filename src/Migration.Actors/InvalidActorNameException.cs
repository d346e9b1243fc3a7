namespace Migration.Actors;

/// <summary>An actor name that is empty, malformed or already taken among its siblings.</summary>
public sealed class InvalidActorNameException(string message) : ArgumentException(message);
