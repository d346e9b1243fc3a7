namespace Migration.Benchmarks;

public sealed record Ball(long N);
