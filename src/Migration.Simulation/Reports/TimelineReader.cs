using System.Globalization;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;
using Migration.Simulation.Events;
using Migration.Simulation.Running;
using Migration.Simulation.World;
using Migration.Xen.Iommu;

namespace Migration.Simulation.Reports;

/// <summary>
/// Reads a stored run back from the journal for people: a domain's timeline (every row tagged
/// <c>dom-NAME</c> of that run, in journal order, one line each with its virtual time), the run's
/// domains, and its verdicts. Tags are not run-scoped, so rows are kept by their persistence id's
/// <c>RUNID/</c> prefix. Reads stream in batches; nothing is held per event.
/// </summary>
public static class TimelineReader
{
    public const int ReadBatchSize = 1_000;

    /// <summary>
    /// The domains the run created (from the <see cref="DomainCreated"/> row that opens each domain
    /// actor's journal), sorted ordinally.
    /// </summary>
    public static IReadOnlyList<string> Domains(IJournalStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runId);
        var serializer = SimulationSerializer.Create();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var persistenceId in store.ReadPersistenceIds(Prefix(runId) + "dom-"))
        {
            foreach (var row in store.ReadEvents(persistenceId, 1, 1, 1))
            {
                if (Read(serializer, row) is DomainCreated created) names.Add(created.Domain);
            }
        }
        return names.ToArray();
    }

    /// <summary>The events about <paramref name="domain"/> in <paramref name="runId"/>, with their virtual time, in journal order.</summary>
    public static IEnumerable<(long Ticks, string PersistenceId, object Event)> Events(IJournalStore store, string runId, string domain)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(domain);
        var serializer = SimulationSerializer.Create();
        var prefix = Prefix(runId);
        foreach (var row in store.ReadTagged(Tags.Domain(domain), 0, ReadBatchSize))
        {
            if (row.Deleted || !row.PersistenceId.StartsWith(prefix, StringComparison.Ordinal)) continue;
            yield return (row.CreatedTicks, row.PersistenceId[prefix.Length..], Read(serializer, row));
        }
    }

    /// <summary>
    /// The timeline of <paramref name="domain"/>: one line per event, <c>SECONDS s  WHAT</c>. DMA bursts
    /// and dirty-bitmap reads are summed into the pass lines rather than shown one by one.
    /// </summary>
    /// <param name="hostNames">The run's hosts by index (the events name hosts by index).</param>
    public static IEnumerable<string> Render(IJournalStore store, string runId, string domain, IReadOnlyList<string> hostNames)
    {
        ArgumentNullException.ThrowIfNull(hostNames);
        // A domain actor's later rows do not repeat its host: remember it from the row that created it.
        var hostByActor = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (ticks, actor, e) in Events(store, runId, domain))
        {
            if (e is DomainCreated created) hostByActor[actor] = created.Host;
            var host = hostByActor.TryGetValue(actor, out var index) ? HostName(hostNames, index) : "?";
            if (Describe(e, host, hostNames) is { } line) yield return $"{Seconds(ticks),12} s  {line}";
        }
    }

    /// <summary>The verdict of every migration of the run (its <see cref="MigrationEnded"/> rows), by migration index.</summary>
    public static IReadOnlyList<MigrationEnded> Verdicts(IJournalStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runId);
        var serializer = SimulationSerializer.Create();
        var verdicts = new SortedDictionary<int, MigrationEnded>();
        // Coordinators record the migrations they ran; toolstacks those they could not start.
        var writers = store.ReadPersistenceIds(Prefix(runId) + "migration-").Concat(store.ReadPersistenceIds(Prefix(runId) + "toolstack-"));
        foreach (var persistenceId in writers)
        {
            foreach (var row in store.ReadEvents(persistenceId, 1, long.MaxValue, ReadBatchSize))
            {
                if (!row.Deleted && Read(serializer, row) is MigrationEnded ended) verdicts[ended.Migration] = ended;
            }
        }
        return verdicts.Values.ToArray();
    }

    /// <summary>
    /// Every refusal of the run (its <see cref="RefusalRecorded"/> rows, found by their tag), in
    /// the order the report lists them: by time, then host, then the order the host made them.
    /// </summary>
    public static IReadOnlyList<(long Ticks, RefusalRecorded Refusal)> Refusals(IJournalStore store, string runId) =>
        ReadTagged<RefusalRecorded>(store, runId, Tags.Refusal, r => r.Host);

    /// <summary>Every oracle finding of the run (its <see cref="OracleFindingRecorded"/> rows, found by their tag), in the order the report lists them.</summary>
    public static IReadOnlyList<(long Ticks, OracleFindingRecorded Finding)> Findings(IJournalStore store, string runId) =>
        ReadTagged<OracleFindingRecorded>(store, runId, Tags.Finding, f => f.Host);

    /// <summary>The run's rows of <typeparamref name="T"/> under <paramref name="tag"/>, by time, then host, then the order the host wrote them.</summary>
    private static IReadOnlyList<(long Ticks, T Event)> ReadTagged<T>(IJournalStore store, string runId, string tag, Func<T, int> hostOf) where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runId);
        var serializer = SimulationSerializer.Create();
        var prefix = Prefix(runId);
        var rows = new List<(long Ticks, T Event)>();
        foreach (var row in store.ReadTagged(tag, 0, ReadBatchSize))
        {
            if (!row.Deleted && row.PersistenceId.StartsWith(prefix, StringComparison.Ordinal) && Read(serializer, row) is T e) rows.Add((row.CreatedTicks, e));
        }
        // The journal holds each host's rows in the order the host made them; a stable sort keeps it.
        return rows.OrderBy(r => r.Ticks).ThenBy(r => hostOf(r.Event)).ToArray();
    }

    /// <summary>One line for a timeline event, or null for the events summed elsewhere.</summary>
    /// <param name="host">The host of the domain copy that wrote the event (for pause, resume, destroy).</param>
    public static string? Describe(object e, string host, IReadOnlyList<string> hostNames) => e switch
    {
        DomainCreated c => $"domain created on {HostName(hostNames, c.Host)} (incarnation {c.Incarnation}, {Count(c.MemoryPages)} pages, {(c.Paused ? "paused" : "running")})",
        DomainPaused => $"paused on {host}",
        DomainResumed => $"resumed on {host}",
        DomainDestroyed => $"destroyed on {host}",
        LogDirtyStarted => $"log-dirty tracking started on {host}",
        LogDirtyStopped => $"log-dirty tracking stopped on {host}",
        LogDirtyEnabled l => "hypervisor enabled log-dirty" + Waived(l.WaivedRule),
        LogDirtyVetoed v => $"hypervisor vetoed log-dirty ({v.Rule}, {v.Error}): {v.Reason}",
        DeviceAssigned a => $"device {a.Bdf} assigned" + Waived(a.WaivedRule),
        DeviceDeassigned d => $"device {d.Bdf} deassigned",
        AssignRefused r => $"assigning device {r.Bdf} refused ({r.Rule}, {r.Error}): {r.Reason}",
        DmaTranslated t when t.Stalled => $"IOMMU faulted a DMA write of {t.Bdf} (write-protected shared tables) and stalled the device: no more DMA until the fault is resolved (log-dirty off)",
        DmaTranslated t when t.Faults > 0 =>
            $"IOMMU faulted {Count(t.Faults)} DMA write(s) of {t.Bdf} (write-protected shared tables): {Count(t.FaultsLogged)} logged, " +
            $"{Count(t.Faults - t.FaultsLogged)} dropped by the log's rate limit (printk_ratelimit: a burst of {FaultLog.BurstMax}, then one per 5 s)",
        IommuCallFailed f => $"IOMMU call {f.Call} failed: {f.Function} could not {f.Operation} gfn 0x{f.Gfn:x} of {(f.OnHardwareDomain ? "the hardware domain" : f.Domain)} ({f.Error})" +
                             (f.DomainCrashed ? "; Xen crashed the domain" : f.Disagreements > 0 ? $"; {Count(f.Disagreements)} page(s) left on which the P2M and the IOMMU disagree" : "; the caller got the error"),
        DeviceTlbFlushTimedOut t => $"Device-TLB flush of {string.Join(", ", t.Bdfs)} timed out (1 s): Xen marked the device(s) broken",
        StaleTranslationsReached s => $"{Count(s.Count)} DMA transaction(s) of {s.Bdf} reached pages that had left the domain (freed or transferred) through stale Device-TLB entries (security violations); " +
                                      string.Create(System.Globalization.CultureInfo.InvariantCulture,
                                          $"the first {(s.FirstWrite ? "wrote" : "read")} gfn 0x{s.FirstGfn:x} at {s.FirstTicks / (double)TimeSpan.TicksPerSecond:0.000000} s, {(s.FirstTransferred ? "given to the backend's domain (gnttab_transfer)" : "freed")} at {s.FirstFreedTicks / (double)TimeSpan.TicksPerSecond:0.000000} s"),
        ReservationMade r => $"migration {r.Migration}: destination reserved {Count(r.MemoryBytes)} bytes and {r.Devices} device(s)",
        ReservationReleased r => $"migration {r.Migration}: destination released its reservation",
        MigrationStarted s => $"migration {s.Migration} started: {HostName(hostNames, s.FromHost)} -> {HostName(hostNames, s.ToHost)}" +
                              (s.UnplugReplug ? " (devices unplugged first, replugged after)" : ""),
        MigrationRefused r => $"migration {r.Migration} refused by {r.RefusedBy} ({r.Rule}, {r.Error}): {r.Reason}" +
                              (r.Waived ? " [waived by this counterfactual run]" : ""),
        PassSent p when p.Final => $"migration {p.Migration} final pass {p.Pass} (paused, stop-and-copy): {Count(p.Pages)} pages sent in {Milliseconds(p.DurationTicks)} ms{Wire(p)}",
        PassSent p => $"migration {p.Migration} pass {p.Pass}: {Count(p.Pages)} pages sent in {Milliseconds(p.DurationTicks)} ms{Wire(p)}; meanwhile dirtied " +
                      $"{Count(p.CpuDirtied)} by CPU, {Count(p.DmaPages)} by DMA, {Count(p.ReportedPages)} reported by an emulator; {Count(p.DmaFaults)} DMA faults",
        HandoverDecided h => h.Commit ? $"migration {h.Migration}: handover committed" : $"migration {h.Migration}: handover refused: {h.Reason}",
        MigrationEnded m => Verdict(m),
        RefusalRecorded r => $"{HostName(hostNames, r.Host)}: {r.RefusedBy} refused ({r.Rule}, {r.Error})" +
                             (r.Device.Length > 0 ? $" device {r.Device}" : "") + (r.Migration >= 0 ? $" in migration {r.Migration}" : "") + $": {r.Reason}",
        ScenarioEventStarted started => $"event {started.Event}: {started.Kind}" + (started.Device.Length > 0 ? $" of device {started.Device}" : "") + $" on {HostName(hostNames, started.Host)}",
        FeatureEnabled f => $"hypervisor turned {f.Feature} on",
        SharingApplied s => $"hypervisor carried out {s.Operation}: {s.Outcome}",
        OracleFindingRecorded f => $"oracle ({f.Check}) on {HostName(hostNames, f.Host)}: {f.Description}",
        _ => null,
    };

    /// <summary>What the pass got on the wire (nothing for a journal written before the links were shared).</summary>
    private static string Wire(PassSent p) =>
        p.RateBytesPerSecond > 0
            ? string.Create(CultureInfo.InvariantCulture, $" at {p.RateBytesPerSecond / 1e6:0.###} MB/s ({p.SourceStreams} stream(s) leaving the source, {p.DestinationStreams} entering the destination)")
            : "";

    private static string Verdict(MigrationEnded m)
    {
        var refused = m.RefusedBy.Length > 0 ? $" (refused by {m.RefusedBy}, {m.Rule}{(m.Error.Length > 0 ? ", " + m.Error : "")})" : "";
        var reason = m.Reason.Length > 0 ? $"; {m.Reason}" : "";
        return $"verdict of migration {m.Migration}: {m.Outcome}{refused}: {m.Passes} passes, {Count(m.PagesSent)} pages sent, {Count(m.StalePages)} stale pages, " +
               $"{Count(m.DmaFaults)} DMA faults, downtime {Milliseconds(m.DowntimeTicks)} ms, total {Milliseconds(m.TotalTicks)} ms" +
               (m.MeanRateBytesPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $", {m.MeanRateBytesPerSecond / 1e6:0.###} MB/s mean, {m.MinRateBytesPerSecond / 1e6:0.###} MB/s slowest pass") : "") +
               (m.IommuCalls > 0 || m.IommuFailures > 0
                   ? $", {Count(m.IommuCalls)} IOMMU calls ({Count(m.IommuFailures)} failed, {Count(m.IommuDisagreements)} pages left disagreeing{(m.DomainCrashed ? ", the domain crashed" : "")})"
                   : "") +
               (m.CpuSpunTicks > 0 || m.VcpusBlockedTicks > 0 || m.DevicesBroken > 0 || m.SecurityViolations > 0
                   ? $", Device-TLB flushes: {Milliseconds(m.CpuSpunTicks)} ms spun, {Milliseconds(m.VcpusBlockedTicks)} ms of vCPU time held, {m.DevicesBroken} devices broken, " +
                     $"{Count(m.SecurityViolations)} security violations{(m.FirstViolation.Length > 0 ? $" (first: {m.FirstViolation})" : "")}"
                   : "") +
               (m.DevicesStalled > 0 ? $", {m.DevicesStalled} device(s) stalled on a translation fault" : "") +
               reason;
    }

    private static object Read(EventSerializer serializer, StoredEvent row) =>
        serializer.Deserialize(row.PersistenceId, row.SequenceNr, row.Manifest, row.Payload);

    private static string Prefix(string runId) => runId + "/";

    private static string Waived(string rule) => rule.Length > 0 ? $" [rule {rule} waived by this counterfactual run]" : "";

    private static string HostName(IReadOnlyList<string> hostNames, int index) =>
        index >= 0 && index < hostNames.Count ? hostNames[index] : $"host {index}";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(long ticks) => (ticks / (double)TimeSpan.TicksPerSecond).ToString("F6", CultureInfo.InvariantCulture);

    private static string Milliseconds(long ticks) => (ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.###", CultureInfo.InvariantCulture);
}
