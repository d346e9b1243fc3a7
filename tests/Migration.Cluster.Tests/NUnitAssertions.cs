using Akka.TestKit;

namespace Migration.Cluster.Tests;

/// <summary>
/// Akka.TestKit's assertions for NUnit (there is no Akka.TestKit.NUnit package): each failure throws
/// <see cref="AssertionException"/> directly rather than through <c>Assert.Fail</c>, which NUnit
/// records even when TestKit's <c>AwaitAssert</c> catches the exception and retries.
/// </summary>
public sealed class NUnitAssertions : ITestKitAssertions
{
    public void Fail(string format = "", params object[] args) => throw new AssertionException(Format(format, args));

    public void AssertTrue(bool condition, string format = "", params object[] args)
    {
        if (!condition) Fail(format, args);
    }

    public void AssertFalse(bool condition, string format = "", params object[] args)
    {
        if (condition) Fail(format, args);
    }

    public void AssertEqual<T>(T expected, T actual, string format = "", params object[] args)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual)) Fail($"expected {expected}, but was {actual}. {Format(format, args)}");
    }

    public void AssertEqual<T>(T expected, T actual, Func<T, T, bool> comparer, string format = "", params object[] args)
    {
        if (!comparer(expected, actual)) Fail($"expected {expected}, but was {actual}. {Format(format, args)}");
    }

    public Exception AssertThrows(Action action) => AssertThrows<Exception>(action);

    public TException AssertThrows<TException>(Action action) where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException e)
        {
            return e;
        }
        throw new AssertionException($"expected {typeof(TException).Name}, but nothing was thrown");
    }

    public Task<Exception> AssertThrowsAsync(Func<Task> action) => AssertThrowsAsync<Exception>(action);

    public async Task<TException> AssertThrowsAsync<TException>(Func<Task> action) where TException : Exception
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (TException e)
        {
            return e;
        }
        throw new AssertionException($"expected {typeof(TException).Name}, but nothing was thrown");
    }

    private static string Format(string format, object[] args) => args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
}
