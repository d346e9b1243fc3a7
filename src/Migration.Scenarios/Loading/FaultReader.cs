using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads one item of <c>faults:</c>; the duration is written <c>for</c>.</summary>
internal static class FaultReader
{
    public static readonly string[] Keys = ["kind", "host", "peer", "at", "for"];

    public static FaultSpec Read(MappingReader fault) => new()
    {
        Kind = fault.Require("kind", ScalarParsers.Fault),
        Host = fault.Require("host", ScalarParsers.Text),
        Peer = fault.TryRead("peer", ScalarParsers.Text, out var peer) ? peer : null,
        At = fault.Require<TimeSpan>("at", Units.TryParseDuration),
        Duration = fault.TryRead<TimeSpan>("for", Units.TryParseDuration, out var duration) ? duration : null,
    };
}
