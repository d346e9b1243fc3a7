namespace Migration.Actors;

/// <summary>An actor tried to stash more than <see cref="ActorSystemSettings.StashLengthMax"/> messages.</summary>
public sealed class StashOverflowException(string message) : Exception(message);
