namespace Migration.Persistence.Journal;

/// <summary>
/// A stored run: what was run, with which seed and settings, by which engine, and what came of it.
/// <paramref name="Started"/> and <paramref name="Finished"/> are wall-clock metadata for people;
/// nothing simulated reads them.
/// </summary>
/// <param name="CommittedTicks">Virtual time up to which every event of the run is stored.</param>
public sealed record RunRecord(
    string RunId,
    string Description,
    ulong Seed,
    string SettingsJson,
    string EngineVersion,
    string? ResultHash,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    RunStatus Status,
    long CommittedTicks);
