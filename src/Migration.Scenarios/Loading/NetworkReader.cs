using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads <c>network:</c>; keys not written keep <paramref name="defaults"/>' values.</summary>
internal static class NetworkReader
{
    public static readonly string[] Keys = ["bandwidth", "latency"];

    public static NetworkSpec Read(MappingReader network, NetworkSpec defaults) => new()
    {
        BytesPerSecond = network.Get<double>("bandwidth", Units.TryParseBytesPerSecond, defaults.BytesPerSecond),
        Latency = network.Get<TimeSpan>("latency", Units.TryParseDuration, defaults.Latency),
    };
}
