namespace Migration.Xen.Iommu;

/// <summary>What one call of a caller over its pages did.</summary>
/// <param name="Error">What the caller returned (null: success).</param>
/// <param name="PagesFailed">Page calls that failed, its own rollback's included.</param>
/// <param name="FirstFailedGfn">The first page that failed, or null.</param>
/// <param name="DomainCrashed">A guest's page failed: <c>domain_crash()</c> (the hardware domain is never crashed).</param>
/// <param name="PageCalls">Page calls made, its rollback's included.</param>
public sealed record IommuCallResult(string? Error, int PagesFailed, long? FirstFailedGfn, bool DomainCrashed, int PageCalls)
{
    public bool Succeeded => Error is null;
}
