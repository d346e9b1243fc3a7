using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests;

public class UnitsTests
{
    [TestCase("4GiB", 4L << 30)]
    [TestCase("512MiB", 512L << 20)]
    [TestCase("1KiB", 1024L)]
    [TestCase("1TiB", 1L << 40)]
    [TestCase("1GB", 1_000_000_000L)]
    [TestCase("100MB", 100_000_000L)]
    [TestCase("1kB", 1000L)]
    [TestCase("4096", 4096L)]
    [TestCase("12B", 12L)]
    [TestCase("1.5GiB", 3L << 29)]
    [TestCase(" 2 GiB ", 2L << 30)]
    [TestCase("0", 0L)]
    public void Size_IsParsed_ToBytes(string text, long bytes) => Assert.That(Units.ParseSize(text), Is.EqualTo(bytes));

    [TestCase("1Gbit/s", 125_000_000.0)]
    [TestCase("10Gbit/s", 1_250_000_000.0)]
    [TestCase("100Mbit/s", 12_500_000.0)]
    [TestCase("10kbit/s", 1_250.0)]
    [TestCase("8bit/s", 1.0)]
    [TestCase("125MB/s", 125_000_000.0)]
    [TestCase("30MiB/s", 31_457_280.0)]
    [TestCase("1GB/s", 1_000_000_000.0)]
    [TestCase("2KiB/s", 2048.0)]
    [TestCase("500B/s", 500.0)]
    [TestCase("750", 750.0)]
    public void Rate_IsParsed_ToBytesPerSecond(string text, double bytesPerSecond) =>
        Assert.That(Units.ParseBytesPerSecond(text), Is.EqualTo(bytesPerSecond));

    [TestCase("50us", 500L)]
    [TestCase("50µs", 500L)]
    [TestCase("2ms", 20_000L)]
    [TestCase("1.5s", 15_000_000L)]
    [TestCase("10min", 6_000_000_000L)]
    [TestCase("1h", 36_000_000_000L)]
    [TestCase("300ns", 3L)]
    [TestCase("250ns", 3L)]
    [TestCase("2", 20_000_000L)]
    [TestCase("0.5", 5_000_000L)]
    public void Duration_IsParsed_ToTicks_RoundedTo100ns(string text, long ticks) =>
        Assert.That(Units.ParseDuration(text), Is.EqualTo(TimeSpan.FromTicks(ticks)));

    [TestCase("25%", 0.25)]
    [TestCase("0.25", 0.25)]
    [TestCase("100%", 1.0)]
    [TestCase("150%", 1.5)]
    public void Fraction_IsParsed_FromPercentOrPlainNumber(string text, double fraction) =>
        Assert.That(Units.ParseFraction(text), Is.EqualTo(fraction));

    [TestCase("2000/s", 2000.0)]
    [TestCase("2000", 2000.0)]
    [TestCase("0.5/s", 0.5)]
    public void TransactionRate_IsParsed_PerSecond(string text, double perSecond) =>
        Assert.That(Units.ParsePerSecond(text), Is.EqualTo(perSecond));

    [TestCase("-1GiB", "must not be negative")]
    [TestCase("1.5B", "not a whole number of bytes")]
    [TestCase("4GiBs", "unknown unit 'GiBs'")]
    [TestCase("4gib", "unknown unit 'gib'")]
    [TestCase("GiB", "expected a number and a unit")]
    [TestCase("", "expected a number and a unit")]
    [TestCase("1,5GiB", "expected a number and a unit")]
    [TestCase("9999999999TiB", "too large")]
    [TestCase("1e30TiB", "too large")]
    public void BadSize_IsRejected_WithTheReason(string text, string reason)
    {
        var problem = Assert.Throws<ScenarioException>(() => Units.ParseSize(text))!;
        Assert.That(problem.Message, Does.Contain($"'{text}' is not a valid size").And.Contain(reason));
    }

    [TestCase("-1Gbit/s")]
    [TestCase("1Gbps")]
    [TestCase(".inf")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    public void BadRate_IsRejected(string text) =>
        Assert.That(Units.TryParseBytesPerSecond(text, out _, out var error) ? "" : error, Does.Contain("is not a valid rate"));

    [TestCase("-2ms", "must not be negative")]
    [TestCase("2 days", "unknown unit 'days'")]
    [TestCase("2:00", "expected a number and a unit")]
    [TestCase("2d", "unknown unit 'd' (units: ns, us, µs, ms, s, min, h, or none)")]
    [TestCase("1000000000h", "too long")]
    public void BadDuration_IsRejected_WithTheReason(string text, string reason) =>
        Assert.That(Units.TryParseDuration(text, out _, out var error) ? "" : error, Does.Contain(reason));

    [TestCase("-5%")]
    [TestCase("5 percent")]
    public void BadFraction_IsRejected(string text) =>
        Assert.That(Units.TryParseFraction(text, out _, out var error) ? "" : error, Does.Contain("is not a valid fraction"));

    [TestCase("-1/s")]
    [TestCase("2000/min")]
    public void BadTransactionRate_IsRejected(string text) =>
        Assert.That(Units.TryParsePerSecond(text, out _, out var error) ? "" : error, Does.Contain("is not a valid rate"));

    [TestCase(64L << 30, "64 GiB")]
    [TestCase(1536L << 20, "1536 MiB")]
    [TestCase(1000L, "1000 bytes")]
    [TestCase(0L, "0 bytes")]
    public void FormatSize_UsesTheLargestBinaryUnitThatDivides(long bytes, string text) =>
        Assert.That(Units.FormatSize(bytes), Is.EqualTo(text));
}
