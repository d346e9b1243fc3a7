namespace Migration.Cli.Output;

/// <summary>RFC 4180 CSV: fields separated by commas, records by CRLF, a field quoted when it holds a comma, quote or line break.</summary>
internal static class Csv
{
    public const string RecordSeparator = "\r\n";

    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields)
    {
        writer.Write(string.Join(',', fields.Select(Field)));
        writer.Write(RecordSeparator);
    }

    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
