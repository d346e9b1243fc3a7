using Migration.Persistence.Journal;

namespace Migration.Persistence.Tests;

/// <summary>A run's stored rows without what legitimately differs between runs (its id and orderings), for comparing journals.</summary>
public static class JournalRows
{
    public static List<string> Of(IJournalStore store, string runId)
    {
        var prefix = runId + "/";
        return store.ReadPersistenceIds(prefix)
            .SelectMany(id => store.ReadEvents(id, 1, long.MaxValue, 1_000))
            .OrderBy(row => row.Ordering)
            .Select(row => $"{row.PersistenceId[prefix.Length..]}#{row.SequenceNr}@{row.CreatedTicks} [{string.Join(',', row.Tags)}] " +
                           $"{row.Manifest} {Convert.ToHexString(row.Payload)} deleted={row.Deleted}")
            .ToList();
    }
}
