using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads one item of <c>events:</c>.</summary>
internal static class EventReader
{
    public static readonly string[] Keys = ["kind", "at", "host", "device", "domain", "size", "fail-page", "view", "gfn", "to-gfn", "access", "client", "client-gfn"];

    public static EventSpec Read(MappingReader item) => new()
    {
        Kind = item.Require("kind", ScalarParsers.Event),
        At = item.Require<TimeSpan>("at", Units.TryParseDuration),
        Host = item.TryRead("host", ScalarParsers.Text, out var host) ? host : null,
        Device = item.TryRead("device", ScalarParsers.Text, out var device) ? device : null,
        Domain = item.TryRead("domain", ScalarParsers.Text, out var domain) ? domain : null,
        SizeBytes = item.TryRead<long>("size", Units.TryParseSize, out var size) ? size : null,
        FailPage = item.TryRead("fail-page", ScalarParsers.Long, out var failPage) ? failPage : null,
        View = item.TryRead("view", ScalarParsers.Int, out var view) ? view : null,
        Gfn = item.TryRead("gfn", ScalarParsers.Gfn, out var gfn) ? gfn : null,
        ToGfn = item.TryRead("to-gfn", ScalarParsers.Gfn, out var toGfn) ? toGfn : null,
        Access = item.TryRead("access", ScalarParsers.Access, out var access) ? access : null,
        Client = item.TryRead("client", ScalarParsers.Text, out var client) ? client : null,
        ClientGfn = item.TryRead("client-gfn", ScalarParsers.Gfn, out var clientGfn) ? clientGfn : null,
    };
}
