namespace Migration.Scenarios.Loading;

/// <summary>The guest page size the simulation counts memory in.</summary>
internal static class PageSize
{
    public const long Bytes = 4096;
}
