using Migration.Actors;
using Migration.Scenarios.Model;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;
using Migration.Xen.Iommu;
using Migration.Xen.PreCopy;

namespace Migration.Simulation.World;

/// <summary>
/// What a run knows outside the modelled hosts (an extension of its actor system): the scenario and
/// options, the census of domain copies, the injected faults, the host directory and the verdicts.
/// The oracle of each migration lives here too: it sees every write, which nothing modelled can.
/// </summary>
public sealed class SimulationWorld
{
    // Each migration's result by its index, once it ended (in index order when read).
    private readonly MigrationResult?[] results;
    private int resultCount;

    // Refusals per host, in the order each host made them: the same in sequential and windowed
    // execution (each host's deliveries keep their order), merged by time and host when read.
    private readonly List<RefusalRecord>[] refusalsByHost;

    // Oracle findings per host, in the order each host made them (merged like the refusals).
    private readonly List<OracleFinding>[] findingsByHost;

    public SimulationWorld(Scenario scenario, RunOptions options)
    {
        Scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Faults = new FaultSchedule(scenario);
        results = new MigrationResult?[scenario.Migrations.Count];
        // Room for every guest and each host's hardware domain at once, rather than growing through every size.
        Census = new Census(scenario.Domains.Count + scenario.Hosts.Count);
        tagsByDomain = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Bitmaps = Xen.Memory.PageBitmapPool.ForCurrentThread;
        PreCopy = PreCopyPolicy.For(options.PreCopy ?? scenario.PreCopy);
        Invalidation = options.Invalidation ?? scenario.Iommu?.Invalidation ?? InvalidationMode.Spin;
        TranslationFaults = scenario.Iommu?.TranslationFaults ?? TranslationFaultMode.Terminate;
        Altp2m = options.Altp2m ?? scenario.Altp2m ?? Xen.Sharing.Altp2mSharingMode.Xen;
        Toolstacks = new IActorRef[scenario.Hosts.Count];
        Iommus = new IActorRef[scenario.Hosts.Count];
        Links = new IActorRef[scenario.Hosts.Count];
        refusalsByHost = new List<RefusalRecord>[scenario.Hosts.Count];
        findingsByHost = new List<OracleFinding>[scenario.Hosts.Count];
        // Looking hosts up by name per domain or per migration would cost hosts x domains.
        index = ScenarioIndex.Of(scenario);
    }

    private readonly ScenarioIndex index;

    /// <summary>How the hypervisor waits for Device-TLB flushes in this run: the command line's, the scenario's, else Xen's today (spin).</summary>
    public InvalidationMode Invalidation { get; }

    /// <summary>Whose rules reconcile mem_sharing with altp2m views in this run: the command line's, the scenario's, else Xen's.</summary>
    public Xen.Sharing.Altp2mSharingMode Altp2m { get; }

    /// <summary>The report's name for the run's altp2m rules: null when the scenario has no altp2m or sharing event and none was named, so such runs report as before.</summary>
    public static string? Altp2mNamed(Scenario scenario, RunOptions options)
    {
        var named = options.Altp2m ?? scenario.Altp2m;
        if (named is null && !scenario.Events.Any(e => e.IsSharingEvent)) return null;
        return Migration.Xen.Names.Of(named ?? Xen.Sharing.Altp2mSharingMode.Xen);
    }

    /// <summary>What the IOMMUs do with a DMA transaction they cannot translate: the scenario's, else terminate.</summary>
    public TranslationFaultMode TranslationFaults { get; }

    /// <summary>How long <paramref name="device"/> takes to complete a Device-TLB flush in this run: 0 unless it has ATS.</summary>
    public TimeSpan FlushLatencyOf(DeviceSpec device) => device.Ats ? Options.Flush ?? device.FlushLatency : TimeSpan.Zero;

    /// <summary>The flush latency of device <paramref name="bdf"/> of host <paramref name="host"/> (0: none, or no ATS).</summary>
    public TimeSpan FlushLatencyOn(int host, string bdf)
    {
        foreach (var device in DevicesOn(host))
        {
            if (device.Bdf == bdf) return FlushLatencyOf(device);
        }
        return TimeSpan.Zero;
    }

    /// <summary>The report's name for the run's invalidation mode: null when no device has ATS and none was named, so such runs report as before.</summary>
    public static string? InvalidationNamed(Scenario scenario, RunOptions options)
    {
        var named = options.Invalidation ?? scenario.Iommu?.Invalidation;
        if (named is null && !scenario.Devices.Any(d => d.Ats)) return null;
        return Migration.Xen.Names.Of(named ?? InvalidationMode.Spin);
    }

    private readonly Dictionary<string, string[]> tagsByDomain;

    /// <summary>Whether the run writes (or verifies against) a journal; set when the run is populated.</summary>
    public bool Journaled { get; init; }

    /// <summary>
    /// The journal tags of events about <paramref name="domain"/>, made once per run and shared by every
    /// actor that tags them. Tags index the journal, so a run without one makes none.
    /// </summary>
    public IReadOnlyList<string> TagsOf(string domain)
    {
        if (!Journaled) return [];
        if (!tagsByDomain.TryGetValue(domain, out var tags)) tagsByDomain[domain] = tags = [Tags.Domain(domain)];
        return tags;
    }

    /// <summary>The tags of a refusal about <paramref name="domain"/>: its timeline's and <see cref="Tags.Refusal"/>.</summary>
    public IReadOnlyList<string> RefusalTagsOf(string? domain)
    {
        if (!Journaled) return [];
        if (domain is null) return RefusalOnly;
        if (!refusalTagsByDomain.TryGetValue(domain, out var tags)) refusalTagsByDomain[domain] = tags = [Tags.Domain(domain), Tags.Refusal];
        return tags;
    }

    private readonly Dictionary<string, string[]> refusalTagsByDomain = new(StringComparer.Ordinal);

    /// <summary>The tags of an oracle finding about <paramref name="domain"/>: its timeline's and <see cref="Tags.Finding"/>.</summary>
    public IReadOnlyList<string> FindingTagsOf(string domain) => Journaled ? [Tags.Domain(domain), Tags.Finding] : [];

    private static readonly string[] RefusalOnly = [Tags.Refusal];

    public int HostIndexOf(string hostName) =>
        index.TryGetHostIndex(hostName, out var host) ? host : throw new KeyNotFoundException($"scenario {Scenario.Name} has no host '{hostName}'");

    /// <summary>The domains that start on <paramref name="host"/>, in scenario order.</summary>
    public IReadOnlyList<DomainSpec> DomainsOn(int host) => index.DomainsOn(host);

    /// <summary>The devices of <paramref name="host"/>, in scenario order.</summary>
    public IReadOnlyList<DeviceSpec> DevicesOn(int host) => index.DevicesOn(host);

    /// <summary>What booting the domains and devices of a host needs beyond their specs, computed once per scenario.</summary>
    internal ScenarioIndex Index => index;

    public Scenario Scenario { get; }
    public RunOptions Options { get; }
    public FaultSchedule Faults { get; }
    public PreCopyPolicy PreCopy { get; }
    public Census Census { get; }

    private readonly Dictionary<int, Xen.Memory.SharedCpus> sharedCpus = new();

    /// <summary>
    /// The CPUs of <paramref name="host"/>, shared by its running vCPUs, or null where the scenario
    /// gives the host no <c>cpus</c> (each vCPU has one). Only that host's actors use it: it lives
    /// in the process that runs the host.
    /// </summary>
    public Xen.Memory.SharedCpus? SharedCpusOf(int host)
    {
        if (Scenario.Hosts[host].Cpus is not { } cpus) return null;
        if (!sharedCpus.TryGetValue(host, out var shared)) sharedCpus[host] = shared = new Xen.Memory.SharedCpus(cpus);
        return shared;
    }

    /// <summary>The CPU time the vCPUs of <paramref name="host"/> get.</summary>
    public Xen.Memory.ICpuClock CpuClockOf(int host) => SharedCpusOf(host) ?? (Xen.Memory.ICpuClock)Xen.Memory.DedicatedCpus.Instance;

    /// <summary>A message between two hosts' actors: lost if their link is down as it is sent (the senders' timeouts notice).</summary>
    public void SendBetweenHosts(int fromHost, int toHost, IActorRef target, object message, IActorRef sender, long nowTicks)
    {
        if (Faults.LinkDownDuring(fromHost, toHost, nowTicks, nowTicks)) return;
        target.Tell(message, sender);
    }

    /// <summary>Log-dirty bitmaps reused across the run's migrations (and the runs this thread drives).</summary>
    public Xen.Memory.PageBitmapPool Bitmaps { get; }

    /// <summary>Each host's toolstack, by host index.</summary>
    public IActorRef[] Toolstacks { get; }

    /// <summary>Each host's network link, by host index.</summary>
    public IActorRef[] Links { get; }

    /// <summary>The fabric between the hosts (on host 0), where the scenario limits it; else null.</summary>
    public IActorRef? Fabric { get; set; }

    /// <summary>
    /// What <paramref name="host"/>'s link carries of streams' bytes each way: its bandwidth (its own,
    /// else the network's) less the headers (<see cref="NetworkSpec.Efficiency"/>).
    /// </summary>
    public double LinkBytesPerSecond(int host) => (Scenario.Hosts[host].LinkBytesPerSecond ?? Scenario.Network.BytesPerSecond) * Scenario.Network.Efficiency;

    /// <summary>Each host's IommuUnit, by host index.</summary>
    public IActorRef[] Iommus { get; }

    /// <summary>The operator (on host 0), whose directory the toolstacks keep current.</summary>
    public IActorRef Operator { get; set; } = null!;

    public IReadOnlyCollection<MigrationResult> Results
    {
        get
        {
            var ended = new List<MigrationResult>(resultCount);
            foreach (var result in results)
            {
                if (result is not null) ended.Add(result);
            }
            return ended;
        }
    }

    /// <summary>When the last migration ended (virtual ticks).</summary>
    public long LastEndTicks { get; private set; }

    public static SimulationWorld Of(ActorSystem system) =>
        system.GetExtension<SimulationWorld>() ?? throw new InvalidOperationException("the system has no simulation world");

    /// <summary>
    /// What the oracle saw: every page set sent and every verdict. The engine's digest covers when and
    /// to whom messages went; this covers which pages moved, which the seed decides. A sum of mixed
    /// values, so the order in which hosts report (sequential or windowed execution) does not matter;
    /// callers mix in what identifies the value (migration, pass).
    /// </summary>
    public ulong OracleDigest { get; private set; }

    public void Fold(ulong value) => OracleDigest += Xen.SplitMix.Mix(value);

    public void Record(MigrationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if ((uint)result.Index >= (uint)results.Length) throw new ArgumentOutOfRangeException(nameof(result), result.Index, $"the scenario has migrations 0 to {results.Length - 1}");
        if (results[result.Index] is not null) throw new InvalidOperationException($"migration {result.Index} ended twice");
        results[result.Index] = result;
        resultCount++;
        LastEndTicks = Math.Max(LastEndTicks, result.EndTicks);
        // What this execution did, not how counterfactual runs classified it: a needless veto is a veto
        // here, so a run's hash is the same with a journal (verdicts known) and without.
        var executed = result.Outcome == Xen.Oracle.Outcome.NeedlessVeto ? Xen.Oracle.Outcome.Vetoed : result.Outcome;
        Fold(Xen.SplitMix.Derive((ulong)result.Index, $"{executed}/{result.StalePages}/{result.DmaFaults}/{result.PagesSent}/{result.DowntimeTicks}"));
    }

    public bool Ended(int index) => (uint)index < (uint)results.Length && results[index] is not null;

    /// <summary>A refusal made on <paramref name="host"/> (by its hypervisor or toolstack) for the report's refusals list.</summary>
    public RefusalRecord RecordRefusal(int host, long nowTicks, string? domain, string? device, int? migration, Xen.Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var record = new RefusalRecord(nowTicks, host, Scenario.Hosts[host].Name, domain, device, migration, refusal);
        (refusalsByHost[host] ??= new List<RefusalRecord>()).Add(record);
        return record;
    }

    /// <summary>What <paramref name="host"/>'s oracle found unsafe, for the report's findings list.</summary>
    public OracleFinding RecordFinding(int host, long nowTicks, string domain, string check, string description)
    {
        var finding = new OracleFinding(nowTicks, host, Scenario.Hosts[host].Name, domain, check, description);
        (findingsByHost[host] ??= new List<OracleFinding>()).Add(finding);
        return finding;
    }

    /// <summary>Every oracle finding so far, by time, then host, then the order the host made them.</summary>
    public IReadOnlyList<OracleFinding> Findings()
    {
        var all = new List<OracleFinding>();
        foreach (var list in findingsByHost)
        {
            if (list is not null) all.AddRange(list);
        }
        return all.OrderBy(f => f.Ticks).ThenBy(f => f.Host).ToArray();
    }

    /// <summary>Every refusal so far, by time, then host, then the order the host made them.</summary>
    public IReadOnlyList<RefusalRecord> Refusals()
    {
        var all = new List<RefusalRecord>();
        foreach (var list in refusalsByHost)
        {
            if (list is not null) all.AddRange(list);
        }
        // A stable sort: within one time and host, the host's own order stays.
        return all.OrderBy(r => r.Ticks).ThenBy(r => r.Host).ToArray();
    }
}
