namespace Migration.Persistence;

/// <summary>What re-executing a stored run found: the hashes, and every event that differed from the journal.</summary>
public sealed record VerificationResult(
    string RunId, string? StoredHash, string RecomputedHash, long EventsVerified, IReadOnlyList<JournalDataException> Divergences)
{
    public bool Matches => Divergences.Count == 0 && StoredHash == RecomputedHash;
}
