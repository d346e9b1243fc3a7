namespace Migration.Xen.Sharing;

/// <summary>What a sharing or altp2m operation returned: null error on success, else Xen's error and why.</summary>
/// <param name="Error">Xen's error (<c>-EINVAL</c>, <c>-E2BIG</c>), or null.</param>
/// <param name="Reason">Why, in a sentence ("" on success).</param>
/// <param name="Unshared">The operation unshared the page first (Xen's rule for access and remapping through a view).</param>
public sealed record SharingResult(string? Error, string Reason, bool Unshared = false)
{
    public static readonly SharingResult Ok = new(null, "");

    public bool Succeeded => Error is null;
}
