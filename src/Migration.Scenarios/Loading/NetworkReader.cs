using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads <c>network:</c>; keys not written keep <paramref name="defaults"/>' values.</summary>
internal static class NetworkReader
{
    public static readonly string[] Keys = ["bandwidth", "latency", "sharing", "reverse", "fabric", "efficiency"];

    public static NetworkSpec Read(MappingReader network, NetworkSpec defaults) => new()
    {
        BytesPerSecond = network.Get<double>("bandwidth", Units.TryParseBytesPerSecond, defaults.BytesPerSecond),
        Latency = network.Get<TimeSpan>("latency", Units.TryParseDuration, defaults.Latency),
        Sharing = network.Get("sharing", ScalarParsers.Sharing, defaults.Sharing),
        ReverseFraction = network.Get<double>("reverse", Units.TryParseFraction, defaults.ReverseFraction),
        Efficiency = network.Get<double>("efficiency", Units.TryParseFraction, defaults.Efficiency),
        FabricBytesPerSecond = network.Has("fabric") ? network.Require<double>("fabric", Units.TryParseBytesPerSecond) : defaults.FabricBytesPerSecond,
    };
}
