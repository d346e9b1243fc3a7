using System.Globalization;
using System.Text.RegularExpressions;
using Migration.Scenarios.Model;

namespace Migration.Scenarios;

/// <summary>
/// Parses the quantities scenario files are written in: sizes (<c>4GiB</c>), rates (<c>1Gbit/s</c>),
/// durations (<c>50us</c>), fractions (<c>25%</c>) and transaction rates (<c>2000/s</c>). Decimal
/// prefixes (k, M, G, T) are powers of 1000, binary ones (Ki, Mi, Gi, Ti) powers of 1024, and
/// <c>bit</c> is an eighth of a byte. Numbers are read in the invariant culture; negative and
/// non-finite values are errors. The <c>TryParse</c> methods return the reason in <c>error</c>; the
/// <c>Parse</c> methods throw it as a <see cref="ScenarioException"/>.
/// </summary>
public static partial class Units
{
    private static readonly (string Unit, decimal Bytes)[] SizeUnits =
    [
        ("B", 1), ("kB", 1e3m), ("MB", 1e6m), ("GB", 1e9m), ("TB", 1e12m),
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
    ];

    private static readonly (string Unit, decimal BytesPerSecond)[] RateUnits =
    [
        ("B/s", 1), ("kB/s", 1e3m), ("MB/s", 1e6m), ("GB/s", 1e9m),
        ("KiB/s", 1L << 10), ("MiB/s", 1L << 20), ("GiB/s", 1L << 30),
        ("bit/s", 1 / 8m), ("kbit/s", 1e3m / 8), ("Mbit/s", 1e6m / 8), ("Gbit/s", 1e9m / 8),
    ];

    // TimeSpan counts 100 ns ticks, so nanoseconds are a fraction of a tick and get rounded.
    private static readonly (string Unit, decimal Ticks)[] DurationUnits =
    [
        ("ns", 0.01m), ("us", 10), ("µs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("min", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    private static readonly (string Unit, decimal Scale)[] FractionUnits = [("%", 0.01m)];

    private static readonly (string Unit, decimal Scale)[] PerSecondUnits = [("/s", 1)];

    public static long ParseSize(string text) => Unwrap(TryParseSize(text, out var bytes, out var error), bytes, error);

    public static double ParseBytesPerSecond(string text) => Unwrap(TryParseBytesPerSecond(text, out var rate, out var error), rate, error);

    public static TimeSpan ParseDuration(string text) => Unwrap(TryParseDuration(text, out var duration, out var error), duration, error);

    public static double ParseFraction(string text) => Unwrap(TryParseFraction(text, out var fraction, out var error), fraction, error);

    public static double ParsePerSecond(string text) => Unwrap(TryParsePerSecond(text, out var rate, out var error), rate, error);

    /// <summary>A size in whole bytes; a plain number is bytes.</summary>
    public static bool TryParseSize(string text, out long bytes, out string error)
    {
        bytes = 0;
        if (!TryScale(text, "size", SizeUnits, "4GiB", out var value, out error)) return false;
        if (value != decimal.Truncate(value)) return Fail(text, "size", "not a whole number of bytes", out error);
        if (value > long.MaxValue) return Fail(text, "size", "too large", out error);
        bytes = (long)value;
        return true;
    }

    /// <summary>A data rate in bytes per second; a plain number is bytes per second.</summary>
    public static bool TryParseBytesPerSecond(string text, out double bytesPerSecond, out string error)
    {
        var ok = TryScale(text, "rate", RateUnits, "1Gbit/s", out var value, out error);
        bytesPerSecond = ok ? (double)value : 0;
        return ok;
    }

    /// <summary>A duration, rounded to TimeSpan's 100 ns tick; a plain number is seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        if (!TryScale(text, "duration", DurationUnits, "50us", out var ticks, out error, plainScale: TimeSpan.TicksPerSecond)) return false;
        ticks = decimal.Round(ticks, MidpointRounding.AwayFromZero);
        if (ticks > TimeSpan.MaxValue.Ticks) return Fail(text, "duration", "too long", out error);
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>A fraction written as a percentage (<c>25%</c>) or a plain number (<c>0.25</c>); the caller checks its range.</summary>
    public static bool TryParseFraction(string text, out double fraction, out string error)
    {
        var ok = TryScale(text, "fraction", FractionUnits, "25%", out var value, out error);
        fraction = ok ? (double)value : 0;
        return ok;
    }

    /// <summary>Events (DMA transactions) per second, written <c>2000/s</c> or <c>2000</c>.</summary>
    public static bool TryParsePerSecond(string text, out double perSecond, out string error)
    {
        var ok = TryScale(text, "rate", PerSecondUnits, "2000/s", out var value, out error);
        perSecond = ok ? (double)value : 0;
        return ok;
    }

    /// <summary>Bytes for people: whole binary units where they divide evenly (<c>64 GiB</c>), else bytes.</summary>
    public static string FormatSize(long bytes)
    {
        foreach (var (unit, scale) in SizeUnits.Where(u => u.Unit.EndsWith("iB", StringComparison.Ordinal)).Reverse())
        {
            if (bytes != 0 && bytes % (long)scale == 0) return $"{(bytes / (long)scale).ToString(CultureInfo.InvariantCulture)} {unit}";
        }
        return $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
    }

    /// <summary>A duration for people: whole hours as <c>2 h</c>, anything else in seconds (<c>1.5 s</c>).</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration.Ticks != 0 && duration.Ticks % TimeSpan.TicksPerHour == 0)
            return $"{(duration.Ticks / TimeSpan.TicksPerHour).ToString(CultureInfo.InvariantCulture)} h";
        return $"{duration.TotalSeconds.ToString("0.#######", CultureInfo.InvariantCulture)} s";
    }

    private static bool TryScale(
        string text, string what, (string Unit, decimal Scale)[] units, string example, out decimal value, out string error, decimal plainScale = 1)
    {
        value = 0;
        text ??= "";
        var match = QuantityPattern().Match(text);
        if (!match.Success) return Fail(text, what, $"expected a number and a unit, such as {example}", out error);
        if (!decimal.TryParse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return Fail(text, what, "too large", out error);
        }
        if (number < 0) return Fail(text, what, "must not be negative", out error);
        if (!TryFindScale(match.Groups["unit"].Value, units, plainScale, out var scale))
        {
            var known = string.Join(", ", units.Select(u => u.Unit));
            return Fail(text, what, $"unknown unit '{match.Groups["unit"].Value}' (units: {known}, or none)", out error);
        }
        return TryMultiply(text, what, number, scale, out value, out error);
    }

    private static bool TryFindScale(string unit, (string Unit, decimal Scale)[] units, decimal plainScale, out decimal scale)
    {
        scale = plainScale;
        if (unit.Length == 0) return true;
        foreach (var (candidate, candidateScale) in units)
        {
            scale = candidateScale;
            if (string.Equals(candidate, unit, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static bool TryMultiply(string text, string what, decimal number, decimal scale, out decimal value, out string error)
    {
        try
        {
            value = number * scale;
            error = "";
            return true;
        }
        catch (OverflowException)
        {
            value = 0;
            return Fail(text, what, "too large", out error);
        }
    }

    private static bool Fail(string text, string what, string reason, out string error)
    {
        error = $"'{text}' is not a valid {what}: {reason}";
        return false;
    }

    private static T Unwrap<T>(bool ok, T value, string error) => ok ? value : throw new ScenarioException(error);

    [GeneratedRegex(@"^\s*(?<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(?<unit>(?:[\p{L}%/]\S*)?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();
}
