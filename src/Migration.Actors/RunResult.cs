namespace Migration.Actors;

/// <summary>What a call to run the system did.</summary>
/// <param name="Delivered">Events delivered by this call.</param>
/// <param name="Completed">False when the call stopped at its event limit with work left before its bound.</param>
/// <param name="Now">Virtual now afterwards.</param>
public readonly record struct RunResult(long Delivered, bool Completed, TimeSpan Now);
