namespace Migration.Scenarios.Model;

/// <summary>
/// A scenario that cannot be used: the message names the file, line and field (or lists the valid
/// names) so a person can fix it.
/// </summary>
public sealed class ScenarioException(string message) : Exception(message);
