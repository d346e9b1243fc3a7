using Migration.Actors;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;

namespace Migration.Persistence;

/// <summary>
/// Rebuilds stored runs and actors from a journal. A run is rebuilt by executing it again from its
/// stored seed and settings, every persisted event checked against the stored one; an actor's state
/// is rebuilt by recovering its events (read-only).
/// </summary>
public static class JournalReplay
{
    /// <summary>
    /// Re-executes a completed run without writing, and compares every event and the result hash
    /// with what is stored.
    /// </summary>
    public static VerificationResult Verify(IJournalStore store, string runId, IRunDefinition definition)
    {
        var run = store.ReadRun(runId) ?? throw new JournalException($"{store.DisplayUri} has no run '{runId}'");
        if (run.Status != RunStatus.Completed)
            throw new JournalException($"run '{runId}' in {store.DisplayUri} is {run.Status.ToString().ToLowerInvariant()}; only a completed run has a result hash to verify"
                + (run.Status == RunStatus.Running ? " (a run still marked running stopped part-way: its process ended before it completed; its committed windows are kept)" : ""));
        var system = definition.CreateSystem(run);
        var journal = PersistenceExtension.Attach(system, store, definition.Serializer,
            new PersistenceSettings { RunId = runId, Mode = PersistenceMode.Verify });
        definition.Populate(system, run);
        system.RunUntil(definition.Duration(run));
        journal.CheckEverythingVerified();
        return new VerificationResult(runId, run.ResultHash, definition.ResultHash(system), journal.EventsVerified, journal.Divergences);
    }

    /// <summary>
    /// Finishes a run that stopped part-way (a crash): executes it again from its start, checking the
    /// stored windows and writing the rest, and closes it with its result hash.
    /// </summary>
    public static (ActorSystem System, PersistenceExtension Journal) Resume(
        IJournalStore store, string runId, IRunDefinition definition, TimeSpan commitInterval)
    {
        var run = store.ReadRun(runId) ?? throw new JournalException($"{store.DisplayUri} has no run '{runId}' to resume");
        var system = definition.CreateSystem(run);
        var journal = PersistenceExtension.Attach(system, store, definition.Serializer,
            new PersistenceSettings { RunId = runId, Mode = PersistenceMode.Resume, CommitInterval = commitInterval });
        definition.Populate(system, run);
        system.RunUntil(definition.Duration(run));
        if (journal.Divergences.Count > 0)
        {
            journal.Complete(RunStatus.Failed, definition.ResultHash(system), DateTimeOffset.UtcNow);
            throw new JournalException(
                $"resuming run '{runId}' diverged from its journal ({journal.Divergences.Count} events), first: {journal.Divergences[0].Message}");
        }
        journal.Complete(RunStatus.Completed, definition.ResultHash(system), DateTimeOffset.UtcNow);
        return (system, journal);
    }

    /// <summary>
    /// A system whose persistent actors recover everything stored for them under <paramref name="runId"/>
    /// (read-only): create an actor with its Props to rebuild it.
    /// </summary>
    public static ActorSystem OpenForInspection(IJournalStore store, string runId, EventSerializer serializer, ActorSystemSettings? settings = null)
    {
        var system = ActorSystem.Create("inspect", settings);
        PersistenceExtension.Attach(system, store, serializer, new PersistenceSettings { RunId = runId, Mode = PersistenceMode.Inspect });
        return system;
    }
}
