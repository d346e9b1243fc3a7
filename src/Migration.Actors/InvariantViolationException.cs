namespace Migration.Actors;

/// <summary>
/// The engine found its own state inconsistent (a delivery before the current time, a sequence
/// number that did not increase). This is a bug in the engine or in a hook's caller, never a
/// user error, so it is not handled: the run stops.
/// </summary>
public sealed class InvariantViolationException(string message) : Exception(message);
