using System.Diagnostics.CodeAnalysis;
using Migration.Actors;
using Migration.Persistence;
using Migration.Scenarios.Model;
using Migration.Simulation.Events;
using Migration.Simulation.Messages;
using Migration.Simulation.Reports;
using Migration.Simulation.World;
using Migration.Xen;
using Migration.Xen.Memory;
using Migration.Xen.Policies;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Actors;

/// <summary>
/// A host's toolstack (dom0's xl, XAPI or a device-aware one): creates the host's hardware domain,
/// guests and devices, starts outgoing migrations (one coordinator child each), and on the destination side
/// checks and reserves, prepares the incoming copy and commits or aborts it. A crashed host's
/// toolstack answers nothing.
/// </summary>
public sealed class ToolstackActor : RefusingActor
{
    private readonly int host;
    private readonly HostSpec hostSpec;
    private readonly Dictionary<string, LocalDomain> domains = new();
    private readonly Dictionary<string, HostDevice> devices = new(StringComparer.Ordinal);
    private HostDevice[] deviceOrder = [];     // the same devices in BDF order, for scans (all are created at boot)
    private readonly Dictionary<int, Reservation> reservations = new();
    private long domainBytes;
    private long reservedBytes;
    private readonly Dictionary<int, Incoming> incoming = new();   // kept once resumed, to answer a repeated commit
    private readonly Dictionary<string, int> copiesArriving = new(StringComparer.Ordinal);   // incoming copies not resumed yet, by domain
    private readonly Dictionary<(string Domain, string Bdf), Action<Refusal?, bool>> assignReplies = new();
    private SimulationWorld world = null!;
    private IActorRef iommu = null!;
    private ToolstackKind kind;
    private IActorRef? hardwareDomain;

    private sealed class LocalDomain(DomainSpec spec, IActorRef actor, GuestMemory memory, int incarnation)
    {
        /// <summary>The domain as the toolstack knows it now (mem_sharing or mem_paging turned on by an event show here).</summary>
        public DomainSpec Spec { get; set; } = spec;
        public IActorRef Actor { get; } = actor;
        public GuestMemory Memory { get; } = memory;
        public int Incarnation { get; } = incarnation;

        /// <summary>The coordinator of the migration it is in, or null.</summary>
        public IActorRef? Coordinator { get; set; }

        public bool Migrating => Coordinator is not null;
    }

    private sealed class HostDevice(DeviceSpec spec, IActorRef actor)
    {
        public DeviceSpec Spec { get; } = spec;
        public IActorRef Actor { get; } = actor;
        public string? AssignedTo { get; set; }
        public int? ReservedFor { get; set; }

        /// <summary>Marked broken at the start or by a scenario event.</summary>
        public bool Broken { get; set; } = spec.Broken;

        public DeviceFacts Facts => new(Spec.Bdf, Spec.BusMaster, Spec.DeclaredReadOnly, Spec.EmulatorReportsDirty, Broken);
    }

    /// <summary>What a destination holds for an incoming migration. A class, not a record: it is also the key of its lease timer, by identity.</summary>
    /// <param name="bdfs">The devices reserved: the first <paramref name="replugCount"/> to plug back after an unplug-replug, the rest to assign at the handover.</param>
    private sealed class Reservation(int index, string domain, long memoryBytes, List<string> bdfs, int replugCount)
    {
        public string Domain { get; } = domain;
        public long MemoryBytes { get; } = memoryBytes;
        public List<string> Bdfs { get; } = bdfs;
        public int ReplugCount { get; } = replugCount;

        /// <summary>What its lease timer delivers: one message, whatever the number of renewals.</summary>
        public LeaseExpired Expired { get; } = new(index);
    }

    private sealed class Incoming(PrepareHandover prepare, IActorRef actor, GuestMemory memory)
    {
        public PrepareHandover Prepare { get; } = prepare;
        public IActorRef Actor { get; } = actor;

        /// <summary>The incoming copy's own memory, made from the final copy's image.</summary>
        public GuestMemory Memory { get; } = memory;
        public int AssignsPending { get; set; }
        public Refusal? Refused { get; set; }
        public Refusal? Waived { get; set; }
        public bool Prepared { get; set; }
        public long? ResumedTicks { get; set; }

        /// <summary>It shut down once it had moved (the migration's <c>shutdown-after</c>).</summary>
        public bool ShutDown { get; set; }
        public IActorRef? Committer { get; set; }
        public int ReplugsPending { get; set; }
        public List<DeviceRefusal> ReplugRefusals { get; } = new();
    }

    public ToolstackActor(int host, HostSpec hostSpec)
    {
        this.host = host;
        this.hostSpec = hostSpec;
    }

    // A switch rather than Command<T> registrations, like the host's other standing actors (domains,
    // devices, the IOMMU): one type test per case and no handler objects per actor.
    protected override bool OnCommand(object message)
    {
        switch (message)
        {
            case MigrateDomain command: OnMigrateDomain(command); return true;
            case MigrationFinished finished: OnMigrationFinished(finished); return true;
            case ProposeMigration proposal: OnPropose(proposal); return true;
            case CancelReservation cancel: OnCancel(cancel); return true;
            case KeepReservation keep: OnKeepReservation(keep); return true;
            case LeaseExpired expired: OnLeaseExpired(expired); return true;
            case CrashNow: OnCrash(); return true;
            case PrepareHandover prepare: OnPrepare(prepare); return true;
            case CommitHandover commit: OnCommit(commit); return true;
            case AbortHandover abort: OnAbort(abort); return true;
            case DeviceAssignedReply reply: Answered(reply.Domain, reply.Bdf, reply.Waived, refused: false); return true;
            case DeviceAssignRefusedReply reply: Answered(reply.Domain, reply.Bdf, reply.Refusal, refused: true); return true;
            case ApplyEvent applied: OnApplyEvent(applied); return true;
            case DeviceDeassignedReply reply: OnHotUnplugged(reply); return true;
            case DomainFeatureEnabledReply reply: OnFeatureEnabled(reply); return true;
            case DomainFeatureRefusedReply: return true;   // the IommuUnit recorded the refusal; the domain is unchanged
            case DomainCrashed crashed: OnDomainCrashed(crashed); return true;
            case DevicesBroken broken: OnDevicesBroken(broken); return true;
            default: return false;
        }
    }

    public override string PersistenceId => $"toolstack-{host}";

    /// <summary>
    /// A domain, device or coordinator that throws has hit a bug in the simulation: it is stopped, not
    /// restarted half-way through a migration, and the run reports the error (Simulator fails it).
    /// </summary>
    protected override Migration.Actors.Supervision.SupervisorStrategy SupervisorStrategy() => Migration.Actors.Supervision.SupervisorStrategy.Stopping;

    protected override void PreStart()
    {
        base.PreStart();
        world = SimulationWorld.Of(Context.System);
        iommu = world.Iommus[host];
        kind = world.Options.Toolstack ?? hostSpec.Toolstack;
        Boot();
        if (world.Faults.CrashTicksOf(host) is { } crashTicks) Context.ScheduleTellOnce(TimeSpan.FromTicks(crashTicks) - Context.Now, Self, new CrashNow(), Self);
    }

    /// <summary>Only messages to a live host are handled: a crashed toolstack's mail goes nowhere.</summary>
    private bool Crashed => world.Faults.IsCrashed(host, Context.Now.Ticks);

    /// <summary>The hardware domain's memory (it runs no migration workload; it is here because Xen has one per host).</summary>
    public const long HardwareDomainBytes = 1L << 30;

    /// <summary>The hardware domain's name on a host (scenario domain names cannot clash: they are checked unique and '@' marks this one).</summary>
    public static string HardwareDomainName(string hostName) => ScenarioIndex.HardwareDomainName(hostName);

    /// <summary>What the hypervisor of <paramref name="hostSpec"/> knows of its hardware domain.</summary>
    internal static DomainFacts HardwareDomainFacts(HostSpec hostSpec, string name) => new()
    {
        Name = name, IsHardwareDomain = true, IommuEnabled = true, Vendor = hostSpec.IommuVendor, IommuLifetime = hostSpec.IommuLifetime,
        SharedPageTables = DomainFacts.SharesPageTables(hostSpec.IommuVendor, hostSpec.SharedPageTables, domainSyncPt: false),
    };

    private void Boot()
    {
        // Room for the guests and the hardware domain at once, rather than growing through every size.
        var specs = world.DomainsOn(host);
        var boots = world.Index.BootDomainsOn(host);
        domains.EnsureCapacity(specs.Count + 1);
        BootHardwareDomain();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = boots[i].Spec;
            var memory = NewMemory(spec, boots[i].WorkloadKey);
            var actor = Context.ActorOf(Props.Create(static a => new DomainActor(a.Name, a.Host, 1, "boot", a.Memory, false, a.Vcpus),
                    (spec.Name, Host: host, Memory: memory, spec.Vcpus)),
                boots[i].ActorName);
            PutDomain(new LocalDomain(spec, actor, memory, 1));
            iommu.Tell(new RegisterDomain(boots[i].Facts, actor), Self);
            foreach (var refusal in boots[i].Refusals) Refused(world, host, spec.Name, null, null, refusal);
        }
        var deviceSpecs = world.DevicesOn(host);
        var deviceBoots = world.Index.BootDevicesOn(host);
        for (var i = 0; i < deviceSpecs.Count; i++)
        {
            var spec = deviceSpecs[i];
            var actor = Context.ActorOf(Props.Create(static a => new DeviceActor(a.Spec, a.Host, a.Iommu, a.RunSeed, a.SeedKey),
                    (Spec: spec, Host: host, Iommu: iommu, RunSeed: world.Options.Seed, deviceBoots[i].SeedKey)),
                deviceBoots[i].ActorName);
            devices[spec.Bdf] = new HostDevice(spec, actor);
            if (spec.Domain is { } domain) Assign(domain, devices[spec.Bdf], migration: -1, waive: false, then: null);
        }
        deviceOrder = devices.Values.OrderBy(d => d.Spec.Bdf, StringComparer.Ordinal).ToArray();
    }

    private void BootHardwareDomain()
    {
        var boot = world.Index.HardwareDomainOn(host);
        var name = boot.Name;
        var pages = HardwareDomainBytes / Xen.PreCopy.Link.PageBytes;
        var memory = new GuestMemory(pages, new SweepWriter(pages, 1, 0, SplitMix.DeriveFromKey(world.Options.Seed, boot.WorkloadKey)), Context.Now.Ticks, world.Bitmaps);
        var actor = Context.ActorOf(Props.Create(static a => new DomainActor(a.Name, a.Host, 1, "boot", a.Memory, false, 0), (Name: name, Host: host, Memory: memory)),
            boot.ActorName);
        hardwareDomain = actor;
        iommu.Tell(new RegisterDomain(boot.Facts, actor), Self);
    }

    private GuestMemory NewMemory(DomainSpec spec, ulong workloadKey)
    {
        var pages = spec.MemoryBytes / Xen.PreCopy.Link.PageBytes;
        var writer = new SweepWriter(pages, spec.Workload.WorkingSetFraction, spec.Workload.DirtyBytesPerSecond,
            SplitMix.DeriveFromKey(world.Options.Seed, workloadKey));
        return new GuestMemory(pages, writer, Context.Now.Ticks, world.Bitmaps, world.CpuClockOf(host));
    }

    /// <summary>What the hypervisor of <paramref name="hostSpec"/> knows of a domain; <paramref name="devices"/> are those assigned to it, if any.</summary>
    internal static DomainFacts FactsOf(HostSpec hostSpec, DomainSpec spec, IReadOnlyList<DeviceFacts>? devices) => new()
    {
        Name = spec.Name,
        Vendor = hostSpec.IommuVendor,
        IommuLifetime = hostSpec.IommuLifetime,
        IommuEnabled = spec.IommuEnabled,
        Devices = devices ?? [],
        SharedPageTables = DomainFacts.SharesPageTables(hostSpec.IommuVendor, hostSpec.SharedPageTables, spec.SyncPageTables),
        MemSharing = spec.MemSharing,
        MemPaging = spec.MemPaging,
        PopulateOnDemand = spec.PopulateOnDemand,
        Nomigrate = spec.Nomigrate,
        Tsc = spec.Tsc,
    };

    private void Assign(string domain, HostDevice device, int migration, bool waive, Action<Refusal?, bool>? then, long? failPage = null)
    {
        assignReplies[(domain, device.Spec.Bdf)] = (refusal, refused) =>
        {
            if (!refused)
            {
                device.AssignedTo = domain;
                device.Actor.Tell(new AttachToDomain(domain, DomainPages(domain)), Self);
            }
            then?.Invoke(refusal, refused);
        };
        iommu.Tell(new AssignDevice(domain, device.Facts, device.Actor, migration, waive, failPage), Self);
    }

    private long DomainPages(string domain) =>
        domains.TryGetValue(domain, out var local) ? local.Memory.PageCount
        : incoming.Values.First(i => i.ResumedTicks is null && i.Prepare.Spec.Name == domain).Memory.PageCount;

    private void Answered(string domain, string bdf, Refusal? refusal, bool refused)
    {
        if (assignReplies.Remove((domain, bdf), out var then)) then(refusal, refused);
    }

    // ---- source side ----

    private void OnMigrateDomain(MigrateDomain command)
    {
        if (Crashed) return;
        var spec = command.Spec;
        var to = world.HostIndexOf(spec.To);
        if (!domains.TryGetValue(spec.Domain, out var local) || to == host)
        {
            var why = local is null ? $"domain {spec.Domain} does not run on {hostSpec.Name}" : $"domain {spec.Domain} already runs on {spec.To}";
            Record(MigrationResult.NotStarted(command.Index, spec.Domain, hostSpec.Name, world.Scenario.Hosts[to].Name, why, Context.Now.Ticks), to);
            return;
        }
        if (local.Migrating)
        {
            var refusal = ToolstackRules.AlreadyMigrating(kind, spec.Domain);
            Refused(world, host, spec.Domain, null, command.Index, refusal);
            var now = Context.Now.Ticks;
            Record(new MigrationResult
            {
                Index = command.Index, Domain = spec.Domain, From = hostSpec.Name, To = world.Scenario.Hosts[to].Name, Outcome = Xen.Oracle.Outcome.Vetoed,
                Refusal = refusal, Reason = refusal.Reason, StartTicks = now, EndTicks = now,
            }, to);
            return;
        }
        var assigned = DevicesAssignedTo(spec.Domain);
        var setup = new CoordinatorSetup(command.Index, spec, local.Spec, FactsOf(hostSpec, local.Spec, Array.ConvertAll(assigned, d => d.Facts)),
            local.Actor, local.Memory, local.Incarnation, assigned, host, to, kind, iommu, world.Toolstacks[to]);
        local.Coordinator = Context.ActorOf(Props.Create(static setup => new MigrationCoordinator(setup), setup), $"migration-{command.Index}");
    }

    /// <summary>The verdict of a migration this toolstack ended without starting it.</summary>
    private void Record(MigrationResult result, int to)
    {
        if (Journaling) PersistTagged(Timeline.Ended(result, host, to), world.TagsOf(result.Domain), _ => { });
        world.Record(result);
    }

    private void OnMigrationFinished(MigrationFinished finished)
    {
        if (!domains.TryGetValue(finished.Domain, out var local)) return;
        if (finished.Left)
        {
            Forget(finished.Domain);
            return;
        }
        local.Coordinator = null;
        foreach (var bdf in finished.UnpluggedBdfs)
        {
            devices[bdf].AssignedTo = null;
            Assign(finished.Domain, devices[bdf], finished.Index, waive: false, then: null);
        }
    }

    // ---- scenario events ----

    /// <summary>
    /// A scenario event on this host: what an operator would type here (<c>xl pci-attach</c>,
    /// <c>xl pci-detach</c>, turning mem_sharing or a paging ring on) or what the hardware does (a
    /// device marked broken). A toolstack that allows one operation per VM (XAPI, device-aware)
    /// refuses a device change on a migrating domain; xl goes ahead and the hypervisor decides.
    /// </summary>
    private void OnApplyEvent(ApplyEvent applied)
    {
        if (Crashed) return;
        var e = applied.Spec;
        var device = e.Device is { } bdf ? devices[bdf] : null;
        var domain = e.IsHardwareDomainEvent ? HardwareDomainName(hostSpec.Name) : e.Domain ?? device?.AssignedTo;
        if (Journaling && domain is not null)
        {
            PersistTagged(new ScenarioEventStarted { Event = applied.Index, Kind = EventKindNames.Of(e.Kind), Host = host, Domain = domain, Device = e.Device ?? "" },
                world.TagsOf(domain), _ => { });
        }
        switch (e.Kind)
        {
            case EventKind.HotPlug: HotPlug(e.Domain!, device!, e.FailPage); break;
            case EventKind.MemoryAdd: iommu.Tell(new AddMemory(applied.Index, e.SizeBytes!.Value / Xen.PreCopy.Link.PageBytes, e.FailPage), Self); break;
            case EventKind.MmioMap: iommu.Tell(new MapMmio(applied.Index, e.SizeBytes!.Value / Xen.PreCopy.Link.PageBytes, e.FailPage), Self); break;
            case EventKind.HotUnplug: HotUnplug(device!); break;
            case EventKind.MemSharing: EnableFeature(e.Domain!, DomainFeature.MemSharing); break;
            case EventKind.MemPaging: EnableFeature(e.Domain!, DomainFeature.MemPaging); break;
            case EventKind.DeviceBroken: device!.Broken = true; break;
            default: Share(applied); break;
        }
    }

    /// <summary>
    /// An altp2m or sharing event: an introspection agent's or a sharing tool's hypercall, not the
    /// toolstack's operation, so it goes to the hypervisor whatever the domain is doing.
    /// </summary>
    private void Share(ApplyEvent applied)
    {
        var e = applied.Spec;
        if (!domains.TryGetValue(e.Domain!, out var local))
        {
            RefuseEvent(e.Domain, null, "DOMAIN_NOT_ON_HOST", $"domain {e.Domain} does not run on {hostSpec.Name}");
            return;
        }
        long? clientPages = e.Client is { } client && domains.TryGetValue(client, out var other) ? other.Spec.MemoryBytes / Xen.PreCopy.Link.PageBytes : null;
        iommu.Tell(new SharingEvent(applied.Index, e, local.Spec.MemoryBytes / Xen.PreCopy.Link.PageBytes, clientPages), Self);
    }

    private void HotPlug(string domain, HostDevice device, long? failPage)
    {
        var bdf = device.Spec.Bdf;
        if (!domains.TryGetValue(domain, out var local))
        {
            RefuseEvent(domain, bdf, "DOMAIN_NOT_ON_HOST", $"domain {domain} does not run on {hostSpec.Name}");
            return;
        }
        if (RefusesChangeWhileMigrating(local, bdf)) return;
        if (device.ReservedFor is { } index)
        {
            RefuseEvent(domain, bdf, "DEVICE_RESERVED", $"device {bdf} is reserved for the incoming migration {index}");
            return;
        }
        if (device.AssignedTo is { } owner)
        {
            Refused(world, host, domain, bdf, null, AssignDeviceRule.Busy(bdf, owner));
            return;
        }
        Assign(domain, device, migration: -1, waive: false, (_, refused) =>
        {
            if (!refused && domains.TryGetValue(domain, out var now) && now.Coordinator is { } coordinator)
                coordinator.Tell(new DeviceJoined(new LocalDevice(bdf, device.Actor, device.Facts)), Self);
        }, failPage);
    }

    private void HotUnplug(HostDevice device)
    {
        var bdf = device.Spec.Bdf;
        if (device.ReservedFor is { } index)
        {
            RefuseEvent(device.AssignedTo, bdf, "DEVICE_RESERVED", $"device {bdf} is reserved for the incoming migration {index}");
            return;
        }
        if (device.AssignedTo is not { } owner || !domains.TryGetValue(owner, out var local))
        {
            RefuseEvent(null, bdf, "DEVICE_NOT_ASSIGNED", $"device {bdf} is not assigned to any domain on {hostSpec.Name}");
            return;
        }
        if (RefusesChangeWhileMigrating(local, bdf)) return;
        iommu.Tell(new DeassignDevice(owner, bdf), Self);
    }

    /// <summary>The hypervisor took the device away (a hot-unplug): it stops, and a migration reading its domain flushes it once more.</summary>
    private void OnHotUnplugged(DeviceDeassignedReply reply)
    {
        var device = devices[reply.Bdf];
        if (device.AssignedTo != reply.Domain) return;
        device.AssignedTo = null;
        device.Actor.Tell(new DetachFromDomain(), Self);
        if (domains.TryGetValue(reply.Domain, out var local) && local.Coordinator is { } coordinator) coordinator.Tell(new DeviceLeft(reply.Bdf), Self);
    }

    private void EnableFeature(string domain, DomainFeature feature)
    {
        if (!domains.ContainsKey(domain))
        {
            RefuseEvent(domain, null, "DOMAIN_NOT_ON_HOST", $"domain {domain} does not run on {hostSpec.Name}");
            return;
        }
        iommu.Tell(new EnableDomainFeature(domain, feature), Self);
    }

    /// <summary>The hypervisor turned the feature on: the domain carries it from now on, to its next host too.</summary>
    private void OnFeatureEnabled(DomainFeatureEnabledReply reply)
    {
        if (!domains.TryGetValue(reply.Domain, out var local)) return;
        local.Spec = reply.Feature == DomainFeature.MemSharing ? local.Spec with { MemSharing = true } : local.Spec with { MemPaging = true };
        local.Coordinator?.Tell(new DomainSpecChanged(local.Spec), Self);
    }

    private bool RefusesChangeWhileMigrating(LocalDomain local, string bdf)
    {
        if (kind == ToolstackKind.Xl || !local.Migrating) return false;
        Refused(world, host, local.Spec.Name, bdf, null, ToolstackErrors.Refuse(Refuser.Toolstack, kind, "OTHER_OPERATION_IN_PROGRESS",
            $"domain {local.Spec.Name} is migrating; {(kind == ToolstackKind.Xapi ? "XAPI" : "the toolstack")} allows one operation on a VM at a time", waivable: false));
        return true;
    }

    private void RefuseEvent(string? domain, string? bdf, string rule, string reason) =>
        Refused(world, host, domain, bdf, null, ToolstackErrors.Refuse(Refuser.Toolstack, kind, rule, reason, waivable: false));

    // ---- destination side ----

    private sealed record LeaseExpired(int Index);

    private sealed record CrashNow;

    private void OnPropose(ProposeMigration proposal)
    {
        if (Crashed) return;
        var free = FreeBdfs();
        var offer = new DestinationOffer(hostSpec.MemoryBytes - MemoryCommitted(), free.Length, hostSpec.TscScaling, hostSpec.TscKhz);
        var refusal = HoldsCopyOf(proposal.Domain)
            ? ToolstackErrors.Refuse(Refuser.DestinationToolstack, kind, "COPY_ALREADY_HERE",
                $"{hostSpec.Name} still holds a copy of {proposal.Domain} (a handover whose abort has not arrived yet)", waivable: false)
            : DestinationChecks.Check(kind, offer, proposal.MemoryBytes, proposal.Tsc, proposal.SourceTscKhz, proposal.DevicesNeeded);
        if (refusal is not null)
        {
            Refused(world, host, proposal.Domain, null, proposal.Index, refusal);
            Reply(proposal.FromHost, proposal.Coordinator, new MigrationRejected(proposal.Index, refusal));
            return;
        }
        var bdfs = free.Take(proposal.DevicesNeeded).ToList();
        foreach (var bdf in bdfs) devices[bdf].ReservedFor = proposal.Index;
        Reserve(proposal.Index, new Reservation(proposal.Index, proposal.Domain, proposal.MemoryBytes, bdfs, proposal.ReplugDevices));
        if (Journaling)
        {
            PersistTagged(new ReservationMade { Migration = proposal.Index, Domain = proposal.Domain, MemoryBytes = proposal.MemoryBytes, Devices = bdfs.Count },
                world.TagsOf(proposal.Domain), _ => { });
        }
        ExtendLease(proposal.Index, MigrationCoordinator.AnswerTimeout.Ticks);
        Reply(proposal.FromHost, proposal.Coordinator, new MigrationAccepted(proposal.Index));
    }

    /// <summary>The memory of the domains here and of the reservations held: what an offer cannot give.</summary>
    private long MemoryCommitted() => domainBytes + reservedBytes;

    // Every change to the domains or reservations goes through these helpers, which keep the totals,
    // so an offer reads two fields rather than every domain's spec.
    private void PutDomain(LocalDomain local)
    {
        RemoveDomain(local.Spec.Name);
        domains.Add(local.Spec.Name, local);
        domainBytes += local.Spec.MemoryBytes;
    }

    private void RemoveDomain(string name)
    {
        if (domains.Remove(name, out var local)) domainBytes -= local.Spec.MemoryBytes;
    }

    private void ClearDomains()
    {
        domains.Clear();
        domainBytes = 0;
    }

    private void Reserve(int index, Reservation reservation)
    {
        Unreserve(index, out _);
        reservations.Add(index, reservation);
        reservedBytes += reservation.MemoryBytes;
    }

    private bool Unreserve(int index, [NotNullWhen(true)] out Reservation? reservation)
    {
        if (!reservations.Remove(index, out reservation)) return false;
        reservedBytes -= reservation.MemoryBytes;
        return true;
    }

    // Loops rather than LINQ in what runs per proposal and per migration: no enumerator or closure to allocate.

    /// <summary>Whether the domain runs here or a copy of it is arriving (a copy resumed is the domain: here if it has not left since).</summary>
    private bool HoldsCopyOf(string domain) => domains.ContainsKey(domain) || copiesArriving.ContainsKey(domain);

    private void CopiesArriving(string domain, int change)
    {
        var count = copiesArriving.GetValueOrDefault(domain) + change;
        if (count > 0) copiesArriving[domain] = count;
        else copiesArriving.Remove(domain);
    }

    private LocalDevice[] DevicesAssignedTo(string domain)
    {
        var assigned = new List<LocalDevice>(deviceOrder.Length);
        foreach (var device in deviceOrder)
        {
            if (device.AssignedTo == domain) assigned.Add(new LocalDevice(device.Spec.Bdf, device.Actor, device.Facts));
        }
        return assigned.ToArray();
    }

    /// <summary>The BDFs of devices neither assigned nor reserved, in BDF order.</summary>
    private string[] FreeBdfs()
    {
        var free = new List<string>(deviceOrder.Length);
        foreach (var device in deviceOrder)
        {
            if (device.AssignedTo is null && device.ReservedFor is null) free.Add(device.Spec.Bdf);
        }
        return free.ToArray();
    }

    /// <summary>
    /// A reservation is a lease the source renews while its passes run (when a pass's end nears
    /// the lease's expiry): if the source goes quiet (a link
    /// down, a crash, a lost cancel), the reservation and any unprepared copy are released when it
    /// lapses. A prepared copy is not: it waits for the source's decision.
    /// </summary>
    /// <remarks>The lease timer's key is the reservation itself, and its message the reservation's: renewing it allocates neither.</remarks>
    private void ExtendLease(int index, long leaseTicks)
    {
        var reservation = reservations[index];
        Timers.StartSingleTimer(reservation, reservation.Expired, TimeSpan.FromTicks(leaseTicks));
    }

    private void OnKeepReservation(KeepReservation keep)
    {
        if (Crashed || !reservations.ContainsKey(keep.Index) || incoming.ContainsKey(keep.Index)) return;
        ExtendLease(keep.Index, keep.LeaseTicks);
    }

    private void OnLeaseExpired(LeaseExpired expired)
    {
        if (Crashed || (incoming.TryGetValue(expired.Index, out var arriving) && arriving.Prepared)) return;
        if (arriving is not null) DiscardIncoming(expired.Index);
        else Release(expired.Index);
    }

    private void OnCancel(CancelReservation cancel)
    {
        if (Crashed || (incoming.TryGetValue(cancel.Index, out var arriving) && arriving.Prepared)) return;
        if (arriving is not null) DiscardIncoming(cancel.Index);
        else Release(cancel.Index);
    }

    private void Release(int index)
    {
        if (!Unreserve(index, out var reservation)) return;
        Timers.Cancel(reservation);
        foreach (var bdf in reservation.Bdfs) devices[bdf].ReservedFor = null;
        if (Journaling) PersistTagged(new ReservationReleased { Migration = index, Domain = reservation.Domain }, world.TagsOf(reservation.Domain), _ => { });
    }

    private void OnPrepare(PrepareHandover prepare)
    {
        if (Crashed) return;
        if (!reservations.TryGetValue(prepare.Index, out var reservation) || incoming.ContainsKey(prepare.Index))
        {
            // The lease lapsed (or this is a duplicate): the source learns there is nothing here.
            if (!incoming.ContainsKey(prepare.Index)) Reply(HostOf(prepare), prepare.Coordinator, new HandoverUnknown(prepare.Index));
            return;
        }
        Timers.Cancel(reservation);
        var spec = prepare.Spec;
        var copyId = $"m{prepare.Index}";
        var memory = GuestMemory.FromImage(prepare.Memory, world.Bitmaps, world.CpuClockOf(host));
        var actor = Context.ActorOf(
            Props.Create(static a => new DomainActor(a.Name, a.Host, a.Incarnation, a.CopyId, a.Memory, true, a.Vcpus),
                (spec.Name, Host: host, prepare.Incarnation, CopyId: copyId, Memory: memory, spec.Vcpus)),
            $"{spec.Name}.{copyId}");
        var arriving = new Incoming(prepare, actor, memory);
        incoming[prepare.Index] = arriving;
        CopiesArriving(spec.Name, +1);
        iommu.Tell(new RegisterDomain(prepare.Facts, actor), Self);
        if (!MatchDevices(reservation, prepare, out var assignNow))
        {
            var refusal = ToolstackErrors.Refuse(Refuser.DestinationToolstack, kind, "NO_EQUIVALENT_DEVICE",
                $"the domain arrives with {prepare.DevicesAttached} device(s) and {hostSpec.Name} has no free device for each (devices were hot-plugged during the migration)",
                waivable: false);
            Refused(world, host, spec.Name, null, prepare.Index, refusal);
            DiscardIncoming(prepare.Index);
            Reply(HostOf(prepare), prepare.Coordinator, new HandoverRefused(prepare.Index, refusal));
            return;
        }
        if (assignNow.Count == 0)
        {
            arriving.Prepared = true;
            Reply(HostOf(prepare), prepare.Coordinator, new HandoverPrepared(prepare.Index, null));
            return;
        }
        arriving.AssignsPending = assignNow.Count;
        foreach (var bdf in assignNow)
        {
            Assign(spec.Name, devices[bdf], prepare.Index, prepare.Waive, (refusal, refused) => OnIncomingAssigned(arriving, refusal, refused));
        }
    }

    /// <summary>
    /// The devices to assign at the handover, one per device the domain arrives with: those reserved
    /// at the proposal (beyond the ones kept for an unplug-replug's re-plug), fewer if devices were
    /// hot-unplugged during the migration (the rest released), more if some were hot-plugged (taken
    /// from the free devices, if there are enough).
    /// </summary>
    private bool MatchDevices(Reservation reservation, PrepareHandover prepare, out List<string> assignNow)
    {
        assignNow = reservation.Bdfs.Skip(reservation.ReplugCount).ToList();
        while (assignNow.Count > prepare.DevicesAttached)
        {
            var surplus = assignNow[^1];
            assignNow.RemoveAt(assignNow.Count - 1);
            reservation.Bdfs.Remove(surplus);
            devices[surplus].ReservedFor = null;
        }
        if (assignNow.Count == prepare.DevicesAttached) return true;
        var free = FreeBdfs();
        if (free.Length < prepare.DevicesAttached - assignNow.Count) return false;
        foreach (var bdf in free.Take(prepare.DevicesAttached - assignNow.Count))
        {
            devices[bdf].ReservedFor = prepare.Index;
            reservation.Bdfs.Add(bdf);
            assignNow.Add(bdf);
        }
        return true;
    }

    private void OnIncomingAssigned(Incoming arriving, Refusal? refusal, bool refused)
    {
        if (refused) arriving.Refused ??= refusal;
        else if (refusal is not null) arriving.Waived ??= refusal;
        if (--arriving.AssignsPending > 0) return;
        var prepare = arriving.Prepare;
        if (!incoming.ContainsKey(prepare.Index)) return;
        if (arriving.Refused is { } refusedBy)
        {
            DiscardIncoming(prepare.Index);
            Reply(HostOf(prepare), prepare.Coordinator, new HandoverRefused(prepare.Index, refusedBy));
            return;
        }
        arriving.Prepared = true;
        Reply(HostOf(prepare), prepare.Coordinator, new HandoverPrepared(prepare.Index, arriving.Waived));
    }

    private void OnCommit(CommitHandover commit)
    {
        if (Crashed) return;
        if (!incoming.TryGetValue(commit.Index, out var arriving) || !arriving.Prepared)
        {
            Reply(Sender.HostOf(), Sender, new HandoverUnknown(commit.Index));
            return;
        }
        arriving.Committer = Sender;
        if (arriving.ResumedTicks is null) Resume(commit.Index, arriving);
        else if (arriving.ReplugsPending == 0) AcknowledgeCommit(arriving);
    }

    private void Resume(int index, Incoming arriving)
    {
        var prepare = arriving.Prepare;
        arriving.ResumedTicks = Context.Now.Ticks;
        CopiesArriving(prepare.Spec.Name, -1);
        arriving.Actor.Tell(new ResumeDomain(), Self);
        var spec = prepare.Spec with { Host = hostSpec.Name };
        PutDomain(new LocalDomain(spec, arriving.Actor, arriving.Memory, prepare.Incarnation));
        Reply(0, world.Operator, new DomainMoved(spec.Name, host));
        Unreserve(index, out var reservation);
        var replug = reservation is null ? [] : reservation.Bdfs.Take(reservation.ReplugCount).ToArray();
        foreach (var bdf in reservation?.Bdfs ?? []) devices[bdf].ReservedFor = null;
        arriving.ReplugsPending = replug.Length;
        // Re-plug: equivalent devices go into the running domain on its new host; the commit is
        // acknowledged once the hypervisor has answered for each (a refusal is reported, not fatal).
        foreach (var bdf in replug)
        {
            Assign(spec.Name, devices[bdf], index, waive: false, (refusal, refused) =>
            {
                if (refused) arriving.ReplugRefusals.Add(new DeviceRefusal(bdf, refusal!));
                if (--arriving.ReplugsPending == 0) AcknowledgeCommit(arriving);
            });
        }
        if (replug.Length == 0) AcknowledgeCommit(arriving);
    }

    private void AcknowledgeCommit(Incoming arriving)
    {
        var to = arriving.Committer!;
        Reply(to.HostOf(), to, new HandoverCommitted(arriving.Prepare.Index, arriving.ResumedTicks!.Value, arriving.ReplugRefusals.ToArray()));
        if (world.Scenario.Migrations[arriving.Prepare.Index].ShutdownAfter && !arriving.ShutDown) ShutDown(arriving);
    }

    /// <summary>The hypervisor crashed a domain: its migration ends (its coordinator is told why) and the domain goes, its devices with it.</summary>
    private void OnDomainCrashed(DomainCrashed crashed)
    {
        if (Crashed || !domains.TryGetValue(crashed.Domain, out var local)) return;
        local.Coordinator?.Tell(crashed, Self);
        Forget(crashed.Domain);
        local.Actor.Tell(new DestroyDomain(), Self);
    }

    /// <summary>A Device-TLB flush timed out on these devices: from now on assigning them fails with -EBADF (assign_device's check).</summary>
    private void OnDevicesBroken(DevicesBroken broken)
    {
        foreach (var bdf in broken.Bdfs)
        {
            if (devices.TryGetValue(bdf, out var device)) device.Broken = true;
        }
    }

    /// <summary>The scenario has the domain shut down once it has moved: it goes, and its devices with it.</summary>
    private void ShutDown(Incoming arriving)
    {
        arriving.ShutDown = true;
        var name = arriving.Prepare.Spec.Name;
        if (!domains.ContainsKey(name)) return;
        Forget(name);
        arriving.Actor.Tell(new DestroyDomain(), Self);
    }

    /// <summary>The domain is no longer this host's (it moved away, or shut down): out of the host's books, the IOMMU's, and its devices.</summary>
    private void Forget(string domain)
    {
        RemoveDomain(domain);
        iommu.Tell(new UnregisterDomain(domain), Self);
        foreach (var device in deviceOrder)
        {
            if (device.AssignedTo != domain) continue;
            device.AssignedTo = null;
            device.Actor.Tell(new DetachFromDomain(), Self);
        }
    }

    private void OnAbort(AbortHandover abort)
    {
        if (Crashed) return;
        if (incoming.TryGetValue(abort.Index, out var arriving) && arriving.ResumedTicks is not null) return;
        if (arriving is not null) DiscardIncoming(abort.Index);
        else Release(abort.Index);
        Reply(Sender.HostOf(), Sender, new HandoverAborted(abort.Index));
    }

    private void DiscardIncoming(int index)
    {
        if (!incoming.Remove(index, out var arriving)) return;
        var name = arriving.Prepare.Spec.Name;
        if (arriving.ResumedTicks is null) CopiesArriving(name, -1);
        foreach (var device in deviceOrder)
        {
            if (device.AssignedTo != name || device.ReservedFor != index) continue;
            device.AssignedTo = null;
            device.Actor.Tell(new DetachFromDomain(), Self);
        }
        iommu.Tell(new UnregisterDomain(name), Self);
        arriving.Actor.Tell(new DestroyDomain(), Self);
        Release(index);
    }

    /// <summary>
    /// The host dies: its domains (guests, incoming copies, the hardware domain) die with it and its
    /// outgoing migrations fail; from now on it answers nothing.
    /// </summary>
    private void OnCrash()
    {
        foreach (var child in Context.Children)
        {
            if (child.Path.Name.StartsWith("migration-", StringComparison.Ordinal)) Context.Stop(child);
        }
        foreach (var domain in domains.Values) domain.Actor.Tell(new DestroyDomain(), Self);
        foreach (var arriving in incoming.Values) arriving.Actor.Tell(new DestroyDomain(), Self);
        hardwareDomain?.Tell(new DestroyDomain(), Self);
        ClearDomains();
        incoming.Clear();
        copiesArriving.Clear();
        Timers.CancelAll();
    }

    private int HostOf(PrepareHandover prepare) => prepare.Coordinator.HostOf();

    private void Reply(int toHost, IActorRef to, object message) => world.SendBetweenHosts(host, toHost, to, message, Self, Context.Now.Ticks);
}
