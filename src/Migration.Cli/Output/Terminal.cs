namespace Migration.Cli.Output;

/// <summary>
/// Whether a writer is a terminal a person watches: only then are tables drawn with borders and
/// progress bars shown. Redirected output (a pipe, a file, a test's StringWriter) gets plain text.
/// </summary>
internal static class Terminal
{
    public static bool IsInteractive(TextWriter writer)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)) return false;
        if (ReferenceEquals(writer, Console.Out)) return !Console.IsOutputRedirected;
        if (ReferenceEquals(writer, Console.Error)) return !Console.IsErrorRedirected;
        return false;
    }
}
