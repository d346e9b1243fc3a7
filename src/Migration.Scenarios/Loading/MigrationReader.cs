using Migration.Scenarios.Model;

namespace Migration.Scenarios.Loading;

/// <summary>Reads one item of <c>migrations:</c>.</summary>
internal static class MigrationReader
{
    public static readonly string[] Keys = ["domain", "to", "at", "unplug-replug", "shutdown-after"];

    public static MigrationSpec Read(MappingReader migration) => new()
    {
        Domain = migration.Require("domain", ScalarParsers.Text),
        To = migration.Require("to", ScalarParsers.Text),
        At = migration.Require<TimeSpan>("at", Units.TryParseDuration),
        UnplugReplug = migration.Get("unplug-replug", ScalarParsers.Bool, false),
        ShutdownAfter = migration.Get("shutdown-after", ScalarParsers.Bool, false),
    };
}
