namespace Migration.Cluster.Tests;

/// <summary>The cluster configs the repository ships (cluster-config/*.conf), found from the test's directory upwards.</summary>
internal static class ShippedConfigs
{
    public static string Directory { get; } = Find();

    public static IReadOnlyList<string> Files => System.IO.Directory.GetFiles(Directory, "*.conf").Order(StringComparer.Ordinal).ToArray();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "cluster-config");
            if (System.IO.Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Migration.sln"))) return candidate;
        }
        throw new InvalidOperationException($"no cluster-config/ above {AppContext.BaseDirectory}");
    }
}
