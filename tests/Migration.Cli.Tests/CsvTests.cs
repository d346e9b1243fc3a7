using Migration.Cli.Output;

namespace Migration.Cli.Tests;

public class CsvTests
{
    [TestCase("plain", "plain")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("say \"no\"", "\"say \"\"no\"\"\"")]
    [TestCase("two\nlines", "\"two\nlines\"")]
    [TestCase("", "")]
    public void Csv_QuotesOnlyTheFieldsThatNeedIt_AsRfc4180Says(string value, string field) =>
        Assert.That(Csv.Field(value), Is.EqualTo(field));

    [Test]
    public void Csv_EndsEachRecordWithCrLf()
    {
        var writer = new StringWriter();
        Csv.WriteRecord(writer, ["a", "b,c"]);
        Assert.That(writer.ToString(), Is.EqualTo("a,\"b,c\"\r\n"));
    }
}
