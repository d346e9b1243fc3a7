namespace Migration.Scenarios.Tests.Loading;

/// <summary>A small valid scenario that error tests break in one place each.</summary>
internal static class BaseYaml
{
    public const string Text = """
        name: base
        hosts:
          - name: h1
            memory: 64GiB
          - name: h2
            memory: 64GiB
        domains:
          - name: web
            host: h1
            memory: 1GiB
          - name: cache
            host: h2
            memory: 2GiB
        devices:
          - bdf: "0000:03:00.0"
            host: h1
            domain: web
        migrations:
          - domain: web
            to: h2
            at: 1s
        faults:
          - kind: link-down
            host: h1
            peer: h2
            at: 5s
        """;

    /// <summary>The base text with the one occurrence of <paramref name="from"/> replaced.</summary>
    public static string With(string from, string to)
    {
        Assert.That(Text.Split(from).Length, Is.EqualTo(2), $"the base YAML should contain '{from}' exactly once");
        return Text.Replace(from, to, StringComparison.Ordinal);
    }
}
