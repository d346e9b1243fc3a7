namespace Migration.Scenarios.Loading;

/// <summary>Turns a YAML scalar's text into a value, or says why it cannot (the reason, without the location).</summary>
internal delegate bool ScalarParser<T>(string text, out T value, out string error);
