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
public sealed class ToolstackActor : ReceivePersistentActor
{
    private readonly int host;
    private readonly HostSpec hostSpec;
    private readonly Dictionary<string, LocalDomain> domains = new();
    private readonly Dictionary<string, HostDevice> devices = new(StringComparer.Ordinal);
    private HostDevice[] deviceOrder = [];     // the same devices in BDF order, for scans (all are created at boot)
    private readonly Dictionary<int, Reservation> reservations = new();
    private long domainBytes;
    private long reservedBytes;
    private readonly Dictionary<int, Incoming> incoming = new();
    private readonly Dictionary<(string Domain, string Bdf), Action<Refusal?, bool>> assignReplies = new();
    private SimulationWorld world = null!;
    private IActorRef iommu = null!;
    private ToolstackKind kind;
    private IActorRef? hardwareDomain;

    private sealed class LocalDomain(DomainSpec spec, IActorRef actor, GuestMemory memory, int incarnation)
    {
        public DomainSpec Spec { get; } = spec;
        public IActorRef Actor { get; } = actor;
        public GuestMemory Memory { get; } = memory;
        public int Incarnation { get; } = incarnation;
        public bool Migrating { get; set; }
    }

    private sealed class HostDevice(DeviceSpec spec, IActorRef actor)
    {
        public DeviceSpec Spec { get; } = spec;
        public IActorRef Actor { get; } = actor;
        public string? AssignedTo { get; set; }
        public int? ReservedFor { get; set; }
        public DeviceFacts Facts => new(Spec.Bdf, Spec.BusMaster, Spec.DeclaredReadOnly, Spec.EmulatorReportsDirty, Spec.Broken);
    }

    /// <summary>What a destination holds for an incoming migration. A class, not a record: it is also the key of its lease timer, by identity.</summary>
    private sealed class Reservation(int index, string domain, long memoryBytes, IReadOnlyList<string> bdfs)
    {
        public string Domain { get; } = domain;
        public long MemoryBytes { get; } = memoryBytes;
        public IReadOnlyList<string> Bdfs { get; } = bdfs;

        /// <summary>What its lease timer delivers: one message, whatever the number of renewals.</summary>
        public LeaseExpired Expired { get; } = new(index);
    }

    private sealed class Incoming(PrepareHandover prepare, IActorRef actor)
    {
        public PrepareHandover Prepare { get; } = prepare;
        public IActorRef Actor { get; } = actor;
        public int AssignsPending { get; set; }
        public Refusal? Refused { get; set; }
        public Refusal? Waived { get; set; }
        public bool Prepared { get; set; }
        public long? ResumedTicks { get; set; }
        public IActorRef? Committer { get; set; }
        public int ReplugsPending { get; set; }
        public List<Refusal> ReplugRefusals { get; } = new();
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
        Name = name, IsHardwareDomain = true, IommuEnabled = true,
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
            var spec = specs[i];
            var memory = NewMemory(spec, boots[i].WorkloadKey);
            var actor = Context.ActorOf(Props.Create(static a => new DomainActor(a.Name, a.Host, 1, "boot", a.Memory, false), (spec.Name, Host: host, Memory: memory)),
                boots[i].ActorName);
            PutDomain(new LocalDomain(spec, actor, memory, 1));
            iommu.Tell(new RegisterDomain(boots[i].Facts, actor), Self);
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
        var actor = Context.ActorOf(Props.Create(static a => new DomainActor(a.Name, a.Host, 1, "boot", a.Memory, false), (Name: name, Host: host, Memory: memory)),
            boot.ActorName);
        hardwareDomain = actor;
        iommu.Tell(new RegisterDomain(boot.Facts, actor), Self);
    }

    private GuestMemory NewMemory(DomainSpec spec, ulong workloadKey)
    {
        var pages = spec.MemoryBytes / Xen.PreCopy.Link.PageBytes;
        var writer = new SweepWriter(pages, spec.Workload.WorkingSetFraction, spec.Workload.DirtyBytesPerSecond,
            SplitMix.DeriveFromKey(world.Options.Seed, workloadKey));
        return new GuestMemory(pages, writer, Context.Now.Ticks, world.Bitmaps);
    }

    /// <summary>What the hypervisor of <paramref name="hostSpec"/> knows of a domain; <paramref name="devices"/> are those assigned to it, if any.</summary>
    internal static DomainFacts FactsOf(HostSpec hostSpec, DomainSpec spec, IReadOnlyList<DeviceFacts>? devices) => new()
    {
        Name = spec.Name,
        IommuEnabled = spec.IommuEnabled || devices is { Count: > 0 },
        Devices = devices ?? [],
        SharedPageTables = DomainFacts.SharesPageTables(hostSpec.IommuVendor, hostSpec.SharedPageTables, spec.SyncPageTables),
        MemSharing = spec.MemSharing,
        MemPaging = spec.MemPaging,
        PopulateOnDemand = spec.PopulateOnDemand,
        Nomigrate = spec.Nomigrate,
        Tsc = spec.Tsc,
    };

    private void Assign(string domain, HostDevice device, int migration, bool waive, Action<Refusal?, bool>? then)
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
        iommu.Tell(new AssignDevice(domain, device.Facts, device.Actor, migration, waive), Self);
    }

    private long DomainPages(string domain) =>
        domains.TryGetValue(domain, out var local) ? local.Memory.PageCount
        : incoming.Values.First(i => i.Prepare.Spec.Name == domain).Prepare.Memory.PageCount;

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
        if (!domains.TryGetValue(spec.Domain, out var local) || local.Migrating || to == host)
        {
            var why = !domains.ContainsKey(spec.Domain) ? $"domain {spec.Domain} does not run on {hostSpec.Name}"
                : to == host ? $"domain {spec.Domain} already runs on {spec.To}"
                : $"domain {spec.Domain} is already migrating";
            RecordWithoutStarting(command.Index, spec, to, why);
            return;
        }
        local.Migrating = true;
        var assigned = DevicesAssignedTo(spec.Domain);
        var setup = new CoordinatorSetup(command.Index, spec, local.Spec, FactsOf(hostSpec, local.Spec, Array.ConvertAll(assigned, d => d.Facts)),
            local.Actor, local.Memory, local.Incarnation, assigned, host, to, kind, iommu, world.Toolstacks[to]);
        Context.ActorOf(Props.Create(static setup => new MigrationCoordinator(setup), setup), $"migration-{command.Index}");
    }

    private void RecordWithoutStarting(int index, MigrationSpec spec, int to, string why)
    {
        var result = MigrationResult.NotStarted(index, spec.Domain, hostSpec.Name, world.Scenario.Hosts[to].Name, why, Context.Now.Ticks);
        if (Journaling) PersistTagged(Timeline.Ended(result, host, to), world.TagsOf(spec.Domain), _ => { });
        world.Record(result);
    }

    private void OnMigrationFinished(MigrationFinished finished)
    {
        if (!domains.TryGetValue(finished.Domain, out var local)) return;
        if (finished.Left)
        {
            RemoveDomain(finished.Domain);
            iommu.Tell(new UnregisterDomain(finished.Domain), Self);
            foreach (var device in deviceOrder)
            {
                if (device.AssignedTo != finished.Domain) continue;
                device.AssignedTo = null;
                device.Actor.Tell(new DetachFromDomain(), Self);
            }
            return;
        }
        local.Migrating = false;
        foreach (var bdf in finished.UnpluggedBdfs)
        {
            devices[bdf].AssignedTo = null;
            Assign(finished.Domain, devices[bdf], finished.Index, waive: false, then: null);
        }
    }

    // ---- destination side ----

    private sealed record LeaseExpired(int Index);

    private sealed record CrashNow;

    private void OnPropose(ProposeMigration proposal)
    {
        if (Crashed) return;
        var free = FreeBdfs();
        var offer = new DestinationOffer(hostSpec.MemoryBytes - MemoryCommitted(), free.Length, hostSpec.TscScaling, hostSpec.TscKhz);
        var refusal = HoldsCopyOf(proposal.Domain)
            ? new Refusal(Refuser.DestinationToolstack, "COPY_ALREADY_HERE", "refused",
                $"{hostSpec.Name} still holds a copy of {proposal.Domain} (a handover whose abort has not arrived yet)", Waivable: false)
            : DestinationChecks.Check(offer, proposal.MemoryBytes, proposal.Tsc, proposal.SourceTscKhz, proposal.DevicesNeeded);
        if (refusal is not null)
        {
            Reply(proposal.FromHost, proposal.Coordinator, new MigrationRejected(proposal.Index, refusal));
            return;
        }
        var bdfs = free.Take(proposal.DevicesNeeded).ToArray();
        foreach (var bdf in bdfs) devices[bdf].ReservedFor = proposal.Index;
        Reserve(proposal.Index, new Reservation(proposal.Index, proposal.Domain, proposal.MemoryBytes, bdfs));
        if (Journaling)
        {
            PersistTagged(new ReservationMade { Migration = proposal.Index, Domain = proposal.Domain, MemoryBytes = proposal.MemoryBytes, Devices = bdfs.Length },
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

    private bool HoldsCopyOf(string domain)
    {
        if (domains.ContainsKey(domain)) return true;
        foreach (var arriving in incoming.Values)
        {
            if (arriving.Prepare.Spec.Name == domain) return true;
        }
        return false;
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
    /// A reservation is a lease the source renews with each pass: if the source goes quiet (a link
    /// down, a crash, a lost cancel), the reservation and any unprepared copy are released when it
    /// lapses. A prepared copy is not: it waits for the source's decision.
    /// </summary>
    /// <remarks>The lease timer's key is the reservation itself, and its message the reservation's: renewing it each pass allocates neither.</remarks>
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
        var actor = Context.ActorOf(
            Props.Create(static a => new DomainActor(a.Name, a.Host, a.Incarnation, a.CopyId, a.Memory, true),
                (spec.Name, Host: host, prepare.Incarnation, CopyId: copyId, prepare.Memory)),
            $"{spec.Name}.{copyId}");
        var arriving = new Incoming(prepare, actor);
        incoming[prepare.Index] = arriving;
        iommu.Tell(new RegisterDomain(prepare.Facts, actor), Self);
        if (prepare.UnplugReplug || reservation.Bdfs.Count == 0)
        {
            arriving.Prepared = true;
            Reply(HostOf(prepare), prepare.Coordinator, new HandoverPrepared(prepare.Index, null));
            return;
        }
        arriving.AssignsPending = reservation.Bdfs.Count;
        foreach (var bdf in reservation.Bdfs)
        {
            Assign(spec.Name, devices[bdf], prepare.Index, prepare.Waive, (refusal, refused) => OnIncomingAssigned(arriving, refusal, refused));
        }
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
        arriving.Actor.Tell(new ResumeDomain(), Self);
        var spec = prepare.Spec with { Host = hostSpec.Name };
        PutDomain(new LocalDomain(spec, arriving.Actor, prepare.Memory, prepare.Incarnation));
        Unreserve(index, out var reservation);
        var replug = prepare.UnplugReplug ? reservation?.Bdfs ?? [] : [];
        foreach (var bdf in reservation?.Bdfs ?? []) devices[bdf].ReservedFor = null;
        arriving.ReplugsPending = replug.Count;
        // Re-plug: equivalent devices go into the running domain on its new host; the commit is
        // acknowledged once the hypervisor has answered for each (a refusal is reported, not fatal).
        foreach (var bdf in replug)
        {
            Assign(spec.Name, devices[bdf], index, waive: false, (refusal, refused) =>
            {
                if (refused) arriving.ReplugRefusals.Add(refusal!);
                if (--arriving.ReplugsPending == 0) AcknowledgeCommit(arriving);
            });
        }
        if (replug.Count == 0) AcknowledgeCommit(arriving);
    }

    private void AcknowledgeCommit(Incoming arriving)
    {
        var to = arriving.Committer!;
        Reply(to.HostOf(), to, new HandoverCommitted(arriving.Prepare.Index, arriving.ResumedTicks!.Value, arriving.ReplugRefusals.ToArray()));
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
        Timers.CancelAll();
    }

    private int HostOf(PrepareHandover prepare) => prepare.Coordinator.HostOf();

    private void Reply(int toHost, IActorRef to, object message) => world.SendBetweenHosts(host, toHost, to, message, Self, Context.Now.Ticks);
}
