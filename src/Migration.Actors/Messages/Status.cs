namespace Migration.Actors;

/// <summary>Replies that complete an Ask: <see cref="Failure"/> fails the asker's task with its cause.</summary>
public static class Status
{
    public sealed record Success(object? Result);

    public sealed record Failure(Exception Cause);
}
