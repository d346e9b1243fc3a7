using System.Reflection;
using Migration.Actors;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;

namespace Migration.Persistence;

/// <summary>
/// The journal as the actor system sees it: persistent actors append to the current window's
/// buffer, and at every boundary of <see cref="PersistenceSettings.CommitInterval"/> the window is
/// written in one transaction, its rows in delivery order. Depending on the mode it records a new
/// run, resumes or verifies a stored one (checking each re-persisted event against the journal),
/// or serves read-only recovery.
/// </summary>
public sealed class PersistenceExtension : IBoundaryObserver
{
    private readonly ActorSystem system;
    private readonly List<BufferedEvent> buffer = new();
    private readonly List<SnapshotRow> snapshots = new();
    private readonly List<DeleteRequest> deletes = new();
    private readonly Dictionary<string, long> executedHighest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredCursor> storedCursors = new(StringComparer.Ordinal);
    private readonly List<JournalDataException> divergences = new();
    private long appendIndex;
    private string? fatal;

    private PersistenceExtension(ActorSystem system, IJournalStore store, EventSerializer serializer, PersistenceSettings settings)
    {
        this.system = system;
        Store = store;
        Serializer = serializer;
        Settings = settings;
    }

    public IJournalStore Store { get; }

    public EventSerializer Serializer { get; }

    public PersistenceSettings Settings { get; }

    /// <summary>Events the re-run persisted differently from the journal (Resume and Verify modes).</summary>
    public IReadOnlyList<JournalDataException> Divergences => divergences;

    /// <summary>Events written (Record, Resume) or checked against the journal (Resume, Verify) so far.</summary>
    public long EventsWritten { get; private set; }

    public long EventsVerified { get; private set; }

    public long IntervalTicks => Settings.CommitInterval.Ticks;

    public static string EngineVersion { get; } =
        typeof(ActorSystem).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Attaches a journal to <paramref name="system"/> before it runs. In Record mode a run row is
    /// created from <paramref name="run"/>; in Resume and Verify modes the stored run must exist.
    /// </summary>
    public static PersistenceExtension Attach(
        ActorSystem system, IJournalStore store, EventSerializer serializer, PersistenceSettings settings, RunRecord? run = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(serializer);
        settings.Validate();
        var stored = store.ReadRun(settings.RunId);
        switch (settings.Mode)
        {
            case PersistenceMode.Record when settings.SharedRun:
                if (stored is null) throw new JournalException($"{store.DisplayUri} has no run '{settings.RunId}' to write into (its coordinator creates it first)");
                if (stored.Status != RunStatus.Running) throw new JournalException($"run '{settings.RunId}' in {store.DisplayUri} is {stored.Status.ToString().ToLowerInvariant()}, not running");
                break;
            case PersistenceMode.Record:
                if (stored is not null) throw new JournalException($"{store.DisplayUri} already has a run '{settings.RunId}'; choose a new run id");
                store.CreateRun((run ?? throw new ArgumentNullException(nameof(run), "recording needs the run's description")) with
                {
                    RunId = settings.RunId, Status = RunStatus.Running, CommittedTicks = 0,
                });
                break;
            case PersistenceMode.Resume:
                if (stored is null) throw new JournalException($"{store.DisplayUri} has no run '{settings.RunId}' to resume");
                if (stored.Status != RunStatus.Running)
                    throw new JournalException($"run '{settings.RunId}' in {store.DisplayUri} is {stored.Status.ToString().ToLowerInvariant()}, not stopped part-way; verify it instead");
                break;
            default:
                if (stored is null) throw new JournalException($"{store.DisplayUri} has no run '{settings.RunId}'");
                break;
        }
        var extension = new PersistenceExtension(system, store, serializer, settings);
        system.RegisterExtension(extension);
        if (settings.Mode is PersistenceMode.Record or PersistenceMode.Resume) system.AddBoundaryObserver(extension);
        return extension;
    }

    public static PersistenceExtension? For(ActorSystem system) => system.GetExtension<PersistenceExtension>();

    public string StoredIdOf(string persistenceId) => $"{Settings.RunId}/{persistenceId}";

    /// <summary>
    /// The writing host's virtual now: the delivery in progress. (The system's Now is the latest of
    /// all hosts, which in windowed execution runs ahead of the host writing.)
    /// </summary>
    private long NowTicks => system.RunningScheduler?.CurrentDeliveryTicks ?? system.Now.Ticks;

    public void OnBoundary(long boundaryTicks) => Commit(boundaryTicks);

    /// <summary>Commits what is buffered (Record and Resume), leaving the run's row to whoever closes it (<see cref="PersistenceSettings.SharedRun"/>).</summary>
    public void CommitRest()
    {
        if (Settings.Mode is PersistenceMode.Verify or PersistenceMode.Inspect) return;
        Commit(system.Now.Ticks + 1);
    }

    /// <summary>Commits what is buffered and closes the run with its result (Record and Resume).</summary>
    public void Complete(RunStatus status, string? resultHash, DateTimeOffset finished)
    {
        if (Settings.Mode is PersistenceMode.Verify or PersistenceMode.Inspect) return;
        Commit(system.Now.Ticks + 1);
        Store.FinishRun(Settings.RunId, status, resultHash, finished);
    }

    /// <summary>
    /// After a Verify re-run: every stored event must have been persisted again. Adds a divergence
    /// for each persistence id whose stored events the re-run did not reach.
    /// </summary>
    public void CheckEverythingVerified()
    {
        foreach (var storedId in Store.ReadPersistenceIds(Settings.RunId + "/"))
        {
            var highest = Store.ReadHighestSequenceNr(storedId);
            executedHighest.TryGetValue(storedId, out var reached);
            if (reached < highest)
                divergences.Add(new JournalDataException(storedId, reached + 1, $"the journal holds events up to {highest} that the re-run never persisted"));
        }
    }

    // ---- Called by persistent actors -----------------------------------------------------------

    /// <summary>The recovery bound that means "whatever is stored" (inspection).</summary>
    internal const long EverythingStored = long.MaxValue;

    /// <summary>The highest sequence number this execution has reached for the id (the recovery bound).</summary>
    internal long HighestFor(string storedId)
    {
        if (executedHighest.TryGetValue(storedId, out var highest)) return highest;
        // Inspect recovers everything stored (read to the end: no query for the highest first); the
        // other modes start each actor empty, because this execution (re-)persists its events.
        if (Settings.Mode == PersistenceMode.Inspect) return EverythingStored;
        executedHighest[storedId] = 0;
        return 0;
    }

    internal void Append(string storedId, long sequenceNr, object @event, IReadOnlyList<string> tags)
    {
        if (fatal is not null) throw new InvalidOperationException(fatal);
        if (Settings.Mode == PersistenceMode.Inspect)
            throw new InvalidOperationException($"the journal is open read-only (inspect): '{storedId}' cannot persist");
        var (manifest, payload) = Serializer.Serialize(@event);
        executedHighest[storedId] = sequenceNr;
        if (Settings.Mode != PersistenceMode.Record && CheckAgainstStored(storedId, sequenceNr, manifest, payload)) return;
        if (buffer.Count >= Settings.WindowEventsMax)
        {
            fatal = $"one window buffered {buffer.Count} events, the limit (PersistenceSettings.WindowEventsMax); " +
                    "shorten the commit interval or raise the limit";
            throw new InvalidOperationException(fatal);
        }
        var row = new PersistentRow(storedId, sequenceNr, NowTicks, tags, manifest, payload, Settings.RunId);
        buffer.Add(new BufferedEvent(NowTicks, system.RunningScheduler?.CurrentDeliveryOriginKey ?? 0, appendIndex++, row));
    }

    internal void AppendSnapshot(string storedId, long sequenceNr, object snapshot)
    {
        if (Settings.Mode is PersistenceMode.Inspect or PersistenceMode.Verify) return;
        var (manifest, payload) = Serializer.Serialize(snapshot);
        snapshots.Add(new SnapshotRow(storedId, sequenceNr, NowTicks, manifest, payload));
    }

    internal void AppendDelete(string storedId, long toSequenceNr)
    {
        if (Settings.Mode is PersistenceMode.Inspect or PersistenceMode.Verify) return;
        deletes.Add(new DeleteRequest(storedId, toSequenceNr));
    }

    /// <summary>The newest snapshot at or before the bound: stored ones, then this window's.</summary>
    internal SnapshotRow? LoadSnapshot(string storedId, long maxSequenceNr)
    {
        // Recovery with a bound above zero is rare (a restart, an inspection): the store is asked every time.
        var pending = snapshots.LastOrDefault(s => s.PersistenceId == storedId && s.SequenceNr <= maxSequenceNr);
        return pending ?? Store.LoadSnapshot(storedId, maxSequenceNr);
    }

    /// <summary>Events from <paramref name="fromSequenceNr"/> to the bound: committed rows, then this window's, deleted ones skipped.</summary>
    internal IEnumerable<(long SequenceNr, object Event)> ReadForRecovery(string storedId, long fromSequenceNr, long toSequenceNr)
    {
        var expected = fromSequenceNr;
        var deletedUpTo = deletes.Where(d => d.PersistenceId == storedId).Select(d => d.ToSequenceNr).DefaultIfEmpty(0).Max();
        foreach (var row in Store.ReadEvents(storedId, fromSequenceNr, toSequenceNr, Settings.ReadBatchSize))
        {
            if (row.SequenceNr != expected)
                throw new JournalDataException(storedId, expected, $"sequence numbers jump from {expected - 1} to {row.SequenceNr}: events are missing");
            expected++;
            if (row.Deleted || row.SequenceNr <= deletedUpTo) continue;
            yield return (row.SequenceNr, Serializer.Deserialize(storedId, row.SequenceNr, row.Manifest, row.Payload));
        }
        foreach (var pending in buffer.Where(b => b.Row.PersistenceId == storedId && b.Row.SequenceNr >= expected && b.Row.SequenceNr <= toSequenceNr))
        {
            if (pending.Row.SequenceNr != expected)
                throw new JournalDataException(storedId, expected, $"sequence numbers jump from {expected - 1} to {pending.Row.SequenceNr}: events are missing");
            expected++;
            if (pending.Row.SequenceNr <= deletedUpTo) continue;
            yield return (pending.Row.SequenceNr, Serializer.Deserialize(storedId, pending.Row.SequenceNr, pending.Row.Manifest, pending.Row.Payload));
        }
        if (toSequenceNr != EverythingStored && expected <= toSequenceNr)
            throw new JournalDataException(storedId, expected, $"recovery expected events up to {toSequenceNr} but the journal ends at {expected - 1}");
    }

    // ---- Windows -------------------------------------------------------------------------------

    private void Commit(long boundaryTicks)
    {
        if (fatal is not null) throw new JournalException($"{Store.DisplayUri}: {fatal}");
        buffer.Sort(static (a, b) =>
        {
            var byTime = a.DeliveryTicks.CompareTo(b.DeliveryTicks);
            if (byTime != 0) return byTime;
            var byOrigin = a.DeliveryOriginKey.CompareTo(b.DeliveryOriginKey);
            return byOrigin != 0 ? byOrigin : a.AppendIndex.CompareTo(b.AppendIndex);
        });
        var rows = buffer.Select(b => b.Row).ToArray();
        Store.WriteWindow(new WindowWrite(rows, snapshots.ToArray(), deletes.ToArray(), Settings.RunId, boundaryTicks));
        EventsWritten += rows.Length;
        buffer.Clear();
        snapshots.Clear();
        deletes.Clear();
    }

    /// <summary>
    /// Resume and Verify: if the journal already holds this sequence number, compares it with what
    /// the re-run persisted and returns true (nothing to write). A mismatch is a divergence.
    /// </summary>
    private bool CheckAgainstStored(string storedId, long sequenceNr, string manifest, byte[] payload)
    {
        if (!storedCursors.TryGetValue(storedId, out var cursor))
        {
            cursor = new StoredCursor(Store, storedId, Settings.ReadBatchSize);
            storedCursors[storedId] = cursor;
        }
        if (sequenceNr > cursor.Highest)
        {
            if (Settings.Mode == PersistenceMode.Resume) return false;
            Diverge(new JournalDataException(storedId, sequenceNr, "the re-run persisted an event the journal does not have"));
            return true;
        }
        var stored = cursor.Next(sequenceNr);
        if (stored is null || stored.Manifest != manifest || !stored.Payload.AsSpan().SequenceEqual(payload))
        {
            Diverge(new JournalDataException(storedId, sequenceNr,
                stored is null
                    ? "the journal has no event here but the re-run persisted one"
                    : $"the re-run persisted {manifest} ({payload.Length} bytes) where the journal has {stored.Manifest} ({stored.Payload.Length} bytes)"));
            return true;
        }
        EventsVerified++;
        return true;
    }

    private void Diverge(JournalDataException divergence)
    {
        const int DivergencesKeptMax = 1_000;
        if (divergences.Count < DivergencesKeptMax) divergences.Add(divergence);
        throw divergence;
    }

    /// <summary>Reads one persistence id's stored events forward, a batch at a time, for verification.</summary>
    private sealed class StoredCursor(IJournalStore store, string storedId, int batchSize)
    {
        private IEnumerator<StoredEvent>? rows;

        public long Highest { get; } = store.ReadHighestSequenceNr(storedId);

        public StoredEvent? Next(long sequenceNr)
        {
            rows ??= store.ReadEvents(storedId, sequenceNr, Highest, batchSize).GetEnumerator();
            while (rows.MoveNext())
            {
                if (rows.Current.SequenceNr == sequenceNr) return rows.Current;
                if (rows.Current.SequenceNr > sequenceNr) return null;
            }
            return null;
        }
    }
}
