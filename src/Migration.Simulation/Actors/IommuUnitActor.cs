using Migration.Actors;
using Migration.Persistence;
using Migration.Scenarios.Model;
using Migration.Simulation.Events;
using Migration.Simulation.Messages;
using Migration.Simulation.World;
using Migration.Xen;
using Migration.Xen.Dma;
using Migration.Xen.Iommu;
using Migration.Xen.Policies;

namespace Migration.Simulation.Actors;

/// <summary>
/// A host's IOMMU: one context per domain (shared or separate page tables, the devices assigned), the
/// veto point for global log-dirty and for device assignment under the run's policy, and the
/// translation of every DMA transaction. With shared tables, log-dirty write-protects the entries the
/// IOMMU walks, so DMA writes fault; with separate tables they succeed and set no dirty bit.
/// While a domain migrates (log-dirty on), its grants and balloon call <c>iommu_map_page()</c> and
/// <c>iommu_unmap_page()</c> (<see cref="IoActivity"/>); a call the scenario fails does what seeds/000's
/// table says (<see cref="IommuCalls"/>): a guest is crashed, the hardware domain gets the error and
/// may be left with pages its P2M and IOMMU disagree on. Only failing calls are carried out: the
/// others leave both views as they were, so they are counted, not run.
/// </summary>
public sealed class IommuUnitActor : RefusingActor
{
    private readonly int host;
    private readonly Dictionary<string, DomainContext> contexts = new();
    private readonly Dictionary<string, Activity> activities = new();   // migrating domains' I/O, by domain
    private DomainMappings? hardwareDomainMappings;
    private long grantFramesUsed;   // grant frames a failing call touched in the hardware domain's space: each failure its own page
    private SimulationWorld world = null!;
    private MigrationOracleRegistry oracles = null!;

    private readonly Dictionary<string, DeviceSpec> atsDevices = new(StringComparer.Ordinal);   // this host's devices with a Device-TLB, by BDF
    private readonly Dictionary<string, Activity> flushedAfterward = new();
    private readonly Dictionary<string, int> rmrrPages = new(StringComparer.Ordinal);   // this host's devices with an RMRR, by BDF
    private long hotAddedPages;   // pages memory-add events gave the hardware domain
    private long mmioPages;   // BAR pages mmio-map events mapped in the hardware domain
    private readonly HashSet<string> stalled = new(StringComparer.Ordinal);   // devices stalled on a translation fault, by BDF
    private readonly FaultLog faultLog = new();   // the hypervisor's fault messages, rate limited (one bucket per host)
    // Deferred: devices whose Device-TLB still holds the domain copy they left (its context, by identity), by BDF.
    private readonly Dictionary<string, (long DueTicks, string From, DomainContext Copy)> staleDetached = new(StringComparer.Ordinal);
    private HostSharing? sharing;   // this host's altp2m views and shared pages, made at its first altp2m or sharing event

    /// <summary>
    /// A migrating domain's I/O: its calls from log-dirty on, the failures drawn for them, the
    /// Device-TLB flushes its balloon causes. A class: the key of its timers, by identity.
    /// </summary>
    private sealed class Activity(int migration, IoActivity calls, IommuFailurePlan? plan, BalloonFlushes? flushes, string? ringDevice, IReadOnlyList<string> slowDevices)
    {
        /// <summary>The domain whose guest time the flushes take.</summary>
        public IActorRef? DomainActor { get; init; }

        public int Migration { get; } = migration;
        public IoActivity Calls { get; } = calls;
        public IommuFailurePlan? Plan { get; } = plan;

        /// <summary>The flushes of the domain's ATS devices as its balloon frees pages, or null (no balloon, no slow ATS device).</summary>
        public BalloonFlushes? Flushes { get; } = flushes;

        /// <summary>The device whose buffer ring the balloon frees (the first ATS device by BDF).</summary>
        public string? RingDevice { get; } = ringDevice;

        /// <summary>The ATS devices slower than the timeout: what a timed-out flush breaks.</summary>
        public IReadOnlyList<string> SlowDevices { get; } = slowDevices;

        public (long CpuSpun, long VcpusBlocked) FlushCostBy(long ticks) =>
            Flushes is { } f ? (f.CpuSpunBy(ticks).Ticks, f.VcpusBlockedBy(ticks).Ticks) : (0, 0);

        /// <summary>The unmap of a grant whose map failed: the backend got the error and never makes it (0: none).</summary>
        public long NotMade { get; set; }

        /// <summary>When a pause asked the domain's I/O to stop (null: not yet): it makes no call after.</summary>
        public long? PauseAskedTicks { get; set; }

        /// <summary>Calls of the sequence never made, for that reason.</summary>
        public long NotMadeCount { get; set; }

        public long CallsBy(long ticks) => Calls.CallsBy(Math.Min(ticks, PauseAskedTicks ?? long.MaxValue)) - NotMadeCount;
    }

    /// <summary>What an activity's timer delivers: the call that fails, when it is made.</summary>
    private sealed record CallFails(string Domain, Activity Activity, IoCall Call);

    /// <summary>The first page of the identity-mapped RMRR region: below 1 MiB, where the legacy regions (USB, VGA) sit.</summary>
    private const long RmrrFirstGfn = 0xa0;

    /// <summary>
    /// Assigning a device with an RMRR identity-maps it into the domain (<c>set_identity_p2m_entry()</c>,
    /// seeds/000 item 7); when page <paramref name="failPage"/> fails, a guest is crashed (iommu.c) and
    /// the assignment fails. Only a failing mapping is carried out: one that succeeds changes nothing the run reports.
    /// </summary>
    private Refusal? IdentityMapFails(AssignDevice command, long failPage, int pages)
    {
        var mappings = new DomainMappings(RmrrFirstGfn + pages);
        var result = IommuCalls.Execute(mappings, hardwareDomain: false, IommuCaller.SetIdentity, IommuOperation.Map, RmrrFirstGfn, pages, new IommuFailurePlan(0, [failPage], 0));
        if (result.Error is null) return null;
        JournalFailure(command.Domain, IommuCaller.SetIdentity, IommuOperation.Map, result.FirstFailedGfn!.Value, result.Error, failPage, false, result.DomainCrashed, 0);
        return new Refusal(Refuser.Hypervisor, "assign/identity-map", result.Error,
            $"set_identity_p2m_entry() failed to map page {failPage} of {command.Device.Bdf}'s RMRR (gfn 0x{result.FirstFailedGfn:x}, {result.Error}): " +
            $"it kept the {failPage - 1} page(s) it had mapped and returned the error; Xen crashed the domain", Waivable: false);
    }

    /// <summary>
    /// A scenario's memory-add: <c>memory_add()</c> maps the new range in the hardware domain's IOMMU
    /// (seeds/000 item 1). When a page fails, it unmaps what this call mapped and returns the error
    /// (the hardware domain is never crashed): the memory is not added, recorded as the hypervisor's refusal.
    /// </summary>
    private void OnAddMemory(AddMemory command)
    {
        if (command.FailPage is not { } failPage)
        {
            hotAddedPages += command.Pages;
            return;
        }
        // Hot-added memory lies above the hardware domain's and its grant frames' (a 64 GiB gap).
        var firstGfn = HardwareDomainMappings.MemoryPages + (1L << 24) + hotAddedPages;
        var (result, left, hardwareDomain) = FailHardwareDomainMap(IommuCaller.MemoryAdd, firstGfn, (int)command.Pages, failPage, SetEntryRollback.Xen);
        Refused(world, host, hardwareDomain, null, null, new Refusal(Refuser.Hypervisor, "memory-add/iommu-map", result.Error!,
            $"memory_add() failed to map page {failPage} of {command.Pages} (gfn 0x{result.FirstFailedGfn:x}, {result.Error}) in the hardware domain's IOMMU: " +
            $"it unmapped the {failPage - 1} page(s) it had mapped and returned the error; the memory was not added, and the call left {left} page(s) " +
            "on which the hardware domain's P2M and IOMMU disagree", Waivable: false));
    }

    /// <summary>The first BAR page an mmio-map maps: 3 GiB, where the PCI hole's BARs sit below 4 GiB.</summary>
    private const long MmioFirstGfn = 0xc0000;

    /// <summary>
    /// A scenario's mmio-map: the hardware domain (a PVH dom0) maps a BAR in one set_entry call. The
    /// P2M entry is written first; with separate IOMMU tables <c>ept_set_entry()</c> (Intel) or
    /// <c>p2m_pt_set_entry()</c> (AMD) then maps each page in the IOMMU (seeds/000 items 9 and 10).
    /// When one fails, the scenario's <c>iommu.set-entry-rollback</c> says what happens to the pages
    /// mapped before it: Xen unmaps them, the thread kept them; either way the entry stays and the
    /// call returns the error. With shared tables the IOMMU walks the P2M and nothing is called.
    /// </summary>
    private void OnMapMmio(MapMmio command)
    {
        var hostSpec = world.Scenario.Hosts[host];
        // Each BAR starts where the last ended, aligned to its own size, as a superpage must be.
        var firstGfn = (MmioFirstGfn + mmioPages + command.Pages - 1) / command.Pages * command.Pages;
        mmioPages = firstGfn + command.Pages - MmioFirstGfn;
        var shared = Xen.Policies.DomainFacts.SharesPageTables(hostSpec.IommuVendor, hostSpec.SharedPageTables, domainSyncPt: false);
        // Validation refuses a fail-page where the tables are shared; a scenario built in code may still have one.
        if (command.FailPage is not { } failPage || shared) return;
        var caller = hostSpec.IommuVendor == IommuVendor.Intel ? IommuCaller.EptSetEntry : IommuCaller.P2mPtSetEntry;
        var rollback = world.Scenario.Iommu?.SetEntryRollback ?? SetEntryRollback.Xen;
        var pages = (int)command.Pages;
        var (result, left, hardwareDomain) = FailHardwareDomainMap(caller, firstGfn, pages, failPage, rollback);
        var function = IommuCallers.Of(caller).Function;
        var kept = rollback == SetEntryRollback.Xen
            ? $"it unmapped the {failPage - 1} page(s) this call had mapped (Xen's rollback)"
            : $"it kept the {failPage - 1} page(s) it had mapped (the thread's proposal: no rollback)";
        Refused(world, host, hardwareDomain, null, null, new Refusal(Refuser.Hypervisor, "mmio-map/iommu-map", result.Error!,
            $"{function} wrote the P2M entry for {pages} page(s) from gfn 0x{firstGfn:x}, then failed to map page {failPage} in the IOMMU " +
            $"(gfn 0x{result.FirstFailedGfn:x}, {result.Error}): {kept} and returned the error; the P2M entry stays, so the call left {left} page(s) " +
            "on which the hardware domain's P2M and IOMMU disagree", Waivable: false));
    }

    private DomainMappings HardwareDomainMappings =>
        hardwareDomainMappings ??= new DomainMappings(ToolstackActor.HardwareDomainBytes / Xen.PreCopy.Link.PageBytes);

    /// <summary>
    /// One of the hardware domain's own map calls, its page <paramref name="failPage"/> failing: carried
    /// out against its mappings and journaled. Returns the result, the pages it left disagreeing, and the domain's name.
    /// </summary>
    private (IommuCallResult Result, long Left, string HardwareDomain) FailHardwareDomainMap(IommuCaller caller, long firstGfn, int pages, long failPage, SetEntryRollback rollback)
    {
        var mappings = HardwareDomainMappings;
        var before = mappings.DisagreementCount;
        var result = IommuCalls.Execute(mappings, hardwareDomain: true, caller, IommuOperation.Map, firstGfn, pages, new IommuFailurePlan(0, [failPage], 0), rollback);
        var left = mappings.DisagreementCount - before;
        var hardwareDomain = ToolstackActor.HardwareDomainName(world.Scenario.Hosts[host].Name);
        JournalFailure(hardwareDomain, caller, IommuOperation.Map, result.FirstFailedGfn!.Value, result.Error!, failPage, true, false, left);
        return (result, left, hardwareDomain);
    }

    private void JournalFailure(string domain, IommuCaller caller, IommuOperation operation, long gfn, string error, long call, bool hardwareDomain, bool crashed, long disagreements)
    {
        if (!Journaling) return;
        PersistTagged(new IommuCallFailed
        {
            Domain = domain, Function = IommuCallers.Of(caller).Function, Operation = operation == IommuOperation.Map ? "map" : "unmap", Gfn = gfn, Error = error,
            Call = call, OnHardwareDomain = hardwareDomain, DomainCrashed = crashed, Disagreements = disagreements,
        }, world.TagsOf(domain), _ => { });
    }

    /// <summary>A deassigned device's flush, due when it ends: a class, the key of its timer by identity.</summary>
    private sealed class DetachFlushed(DeassignDevice command, IActorRef replyTo, FlushOutcome flush)
    {
        public DeassignDevice Command { get; } = command;
        public IActorRef ReplyTo { get; } = replyTo;
        public FlushOutcome Flush { get; } = flush;
    }

    /// <summary>What an activity's other timer delivers: its first flush timed out (timeout mode).</summary>
    private sealed record FlushTimedOut(string Domain, Activity Activity);

    private sealed class DomainContext(DomainFacts facts, IActorRef domain)
    {
        public DomainFacts Facts { get; set; } = facts;
        public IActorRef Domain { get; } = domain;
    }

    public IommuUnitActor(int host)
    {
        this.host = host;
    }

    // A switch rather than Command<T> registrations, like the host's other standing actors.
    protected override bool OnCommand(object message)
    {
        switch (message)
        {
            case DmaBurst burst: OnDmaBurst(burst); return true;
            case RegisterDomain command: OnRegister(command); return true;
            case UnregisterDomain command: OnUnregister(command); return true;
            case CallFails fails: OnCallFails(fails); return true;
            case FlushTimedOut timedOut: OnFlushTimedOut(timedOut); return true;
            case DetachFlushed detached: OnDetachFlushed(detached); return true;
            case AddMemory command: OnAddMemory(command); return true;
            case MapMmio command: OnMapMmio(command); return true;
            case SharingEvent command: OnSharingEvent(command); return true;
            case QuiesceFlushes command: OnQuiesce(command); return true;
            case EnableLogDirty command: OnEnableLogDirty(command); return true;
            case DisableLogDirty command: OnDisableLogDirty(command); return true;
            case AssignDevice command: OnAssign(command); return true;
            case DeassignDevice command: OnDeassign(command); return true;
            case EnableDomainFeature command: OnEnableFeature(command); return true;
            default: return false;
        }
    }

    public override string PersistenceId => $"iommu-{host}";

    protected override void PreStart()
    {
        base.PreStart();
        world = SimulationWorld.Of(Context.System);
        oracles = MigrationOracleRegistry.Of(Context.System);
        contexts.EnsureCapacity(world.DomainsOn(host).Count + 1);
        foreach (var device in world.DevicesOn(host))
        {
            if (device.Ats) atsDevices[device.Bdf] = device;
            if (device.RmrrPages > 0) rmrrPages[device.Bdf] = device.RmrrPages;
        }
    }

    private void OnRegister(RegisterDomain command) => contexts[command.Facts.Name] = new DomainContext(command.Facts, command.Domain);

    private void OnEnableLogDirty(EnableLogDirty command)
    {
        var context = ContextOf(command.Domain);
        var refusal = LogDirtyRule.Check(world.Options.Policy, context.Facts);
        var tags = world.TagsOf(command.Domain);
        if (refusal is not null && !command.Waive)
        {
            Refused(world, host, command.Domain, null, command.Migration, refusal);
            Sender.Tell(new LogDirtyVetoedReply(command.Domain, refusal), Self);
            return;
        }
        context.Facts = context.Facts with { GlobalLogDirty = true };
        context.Domain.Tell(new StartLogDirty(), Self);
        StartActivity(command.Domain, command.Migration, command.Io, command.Vcpus);
        if (Journaling) PersistTagged(new LogDirtyEnabled { Domain = command.Domain, WaivedRule = refusal?.Rule ?? "" }, tags, _ => { });
        Sender.Tell(new LogDirtyEnabledReply(command.Domain, refusal), Self);
    }

    /// <summary>
    /// A pause for the final copy: the balloon frees no more pages, and the answer says how long the
    /// pause waits for a flush the domain's vCPU spins on (spin, timeout), charged in full; a timeout
    /// due by then fires and crashes the domain.
    /// </summary>
    private void OnQuiesce(QuiesceFlushes command)
    {
        var now = Context.Now.Ticks;
        if (!activities.TryGetValue(command.Domain, out var activity) || activity.Flushes is not { } flushes
            || flushes.Mode is not (InvalidationMode.Spin or InvalidationMode.Timeout))
        {
            Sender.Tell(new FlushWait(command.Domain, now, TimesOut: false), Self);
            return;
        }
        activity.PauseAskedTicks = now;
        var end = flushes.InFlightEnd(now);
        var timesOut = flushes.TimesOutAt is { } timesOutAt && flushes.FlushesBy(now) >= 1 && timesOutAt >= now;
        flushes.Stop(now, finishing: true);
        Timers.Cancel(activity);   // no call fails after the pause is asked
        Sender.Tell(new FlushWait(command.Domain, end, timesOut), Self);
    }

    private void OnDisableLogDirty(DisableLogDirty command)
    {
        if (!contexts.TryGetValue(command.Domain, out var context) || !context.Facts.GlobalLogDirty) return;
        StopActivity(command.Domain);
        Unstall(context.Facts);
        context.Facts = context.Facts with { GlobalLogDirty = false };
        context.Domain.Tell(new StopLogDirty(), Self);
    }

    private void OnAssign(AssignDevice command)
    {
        var context = ContextOf(command.Domain);
        var refusal = AssignDeviceRule.Check(world.Options.Policy, context.Facts, command.Device);
        var tags = world.TagsOf(command.Domain);
        if (refusal is not null && !command.Waive)
        {
            Refused(world, host, command.Domain, command.Device.Bdf, command.Migration >= 0 ? command.Migration : null, refusal);
            Sender.Tell(new DeviceAssignRefusedReply(command.Domain, command.Device.Bdf, refusal), Self);
            return;
        }
        if (command.FailPage is { } failPage && rmrrPages.TryGetValue(command.Device.Bdf, out var rmrr) && IdentityMapFails(command, failPage, rmrr) is { } failed)
        {
            Refused(world, host, command.Domain, command.Device.Bdf, command.Migration >= 0 ? command.Migration : null, failed);
            Sender.Tell(new DeviceAssignRefusedReply(command.Domain, command.Device.Bdf, failed), Self);
            world.Toolstacks[host].Tell(new DomainCrashed(command.Domain, command.Migration, failed.Reason), Self);
            return;
        }
        context.Facts = context.Facts with { Devices = [.. context.Facts.Devices, command.Device] };
        CheckStaleDetached(command.Domain, command.Device.Bdf);
        if (Journaling) PersistTagged(new DeviceAssigned { Domain = command.Domain, Bdf = command.Device.Bdf, WaivedRule = refusal?.Rule ?? "" }, tags, _ => { });
        Sender.Tell(new DeviceAssignedReply(command.Domain, command.Device.Bdf, refusal), Self);
    }

    private void OnDeassign(DeassignDevice command)
    {
        var context = ContextOf(command.Domain);
        context.Facts = context.Facts with { Devices = context.Facts.Devices.Where(d => d.Bdf != command.Bdf).ToArray() };
        stalled.Remove(command.Bdf);   // taken away, the device's stalled transaction goes with its context
        if (Journaling) PersistTagged(new DeviceDeassigned { Domain = command.Domain, Bdf = command.Bdf }, world.TagsOf(command.Domain), _ => { });
        // Taking an ATS device from its domain flushes its Device-TLB of the domain's every page: the
        // deassign returns when the flush does (spin), or times out (timeout), or at once (async-hold, deferred).
        var latency = atsDevices.TryGetValue(command.Bdf, out var spec) ? world.FlushLatencyOf(spec) : TimeSpan.Zero;
        if (latency <= TimeSpan.Zero)
        {
            Sender.Tell(new DeviceDeassignedReply(command.Domain, command.Bdf), Self);
            return;
        }
        // Deferred, the deassign returns before the flush: until it completes the device may still reach the domain's pages.
        if (world.Invalidation == InvalidationMode.Deferred) staleDetached[command.Bdf] = (Context.Now.Ticks + latency.Ticks, command.Domain, context);
        var flush = DeviceTlbFlush.Of(world.Invalidation, latency, hardwareDomain: false, Math.Max(1, command.Vcpus));
        var detached = new DetachFlushed(command, Sender, flush);
        if (flush.CpuSpin <= TimeSpan.Zero) OnDetachFlushed(detached);
        else Timers.StartSingleTimer(detached, detached, flush.CpuSpin);
    }

    /// <summary>
    /// The oracle of seeds/001 for a device's reassignment: given to a domain while the deferred flush
    /// of its deassign has not completed, a device that does DMA can reach the memory of the domain it
    /// left through its Device-TLB. A finding of the run (no migration need be involved).
    /// </summary>
    private void CheckStaleDetached(string domain, string bdf)
    {
        // The same copy getting its device back reaches only its own pages; a new copy of the same domain does not own the old one's.
        if (!staleDetached.Remove(bdf, out var stale) || stale.DueTicks <= Context.Now.Ticks || ReferenceEquals(stale.Copy, contexts[domain])) return;
        if (atsDevices[bdf].Dma == Xen.Dma.DmaPattern.None) return;
        var from = stale.From == domain ? $"{domain}'s previous copy on {world.Scenario.Hosts[host].Name}" : stale.From;
        RecordFinding(domain, Reports.OracleFinding.StaleDeviceTlb, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"device {bdf} was assigned to {domain} while its Device-TLB still held the translations of {from}: the deferred flush of its deassign completes at " +
            $"{stale.DueTicks / (double)TimeSpan.TicksPerSecond:0.000000} s, and until then its DMA for {domain} can reach the memory {from} had"));
    }

    private void RecordFinding(string domain, string check, string text)
    {
        world.RecordFinding(host, Context.Now.Ticks, domain, check, text);
        if (Journaling)
            PersistTagged(new OracleFindingRecorded { Host = host, Domain = domain, Check = check, Description = text }, world.FindingTagsOf(domain), _ => { });
    }

    /// <summary>A deassigned device's Device-TLB flush is over (or timed out): what it cost goes to the unplugging migration, and the answer to who asked.</summary>
    private void OnDetachFlushed(DetachFlushed detached)
    {
        var command = detached.Command;
        var flush = detached.Flush;
        var oracle = command.Migration >= 0 ? oracles.Find(command.Migration) : null;
        oracle?.RecordDetachFlush(flush.CpuSpin.Ticks, flush.VcpusBlocked.Ticks);
        if (flush.DeviceBroken)
        {
            oracle?.RecordFlushTimeout(1);
            if (Journaling) PersistTagged(Reports.Timeline.FlushTimedOut(command.Domain, [command.Bdf]), world.TagsOf(command.Domain), _ => { });
            var toolstack = world.Toolstacks[host];
            toolstack.Tell(new DevicesBroken(command.Domain, [command.Bdf]), Self);
            if (contexts.ContainsKey(command.Domain))
            {
                // No answer to the deassign: the domain is gone, and its crash reaches who asked through its toolstack.
                toolstack.Tell(new DomainCrashed(command.Domain, command.Migration,
                    $"the Device-TLB flush of {command.Bdf} as it was deassigned did not complete within {InvalidationModes.DeviceTlbTimeout.TotalSeconds:0} s " +
                    "(iommu_dev_iotlb_timeout): Xen marked the device broken and crashed the domain"), Self);
                return;
            }
        }
        detached.ReplyTo.Tell(new DeviceDeassignedReply(command.Domain, command.Bdf), Self);
    }

    /// <summary>
    /// A scenario's altp2m or sharing event (seeds/003), under the scenario's <c>altp2m</c> rules: the
    /// hypervisor carries it out or refuses it, and the oracle then looks for views left pointing at
    /// frames their domain no longer has.
    /// </summary>
    private void OnSharingEvent(SharingEvent command)
    {
        var e = command.Spec;
        var hostName = world.Scenario.Hosts[host].Name;
        if (!contexts.ContainsKey(e.Domain!))
        {
            Refused(world, host, e.Domain, null, null, new Refusal(Refuser.Hypervisor, "altp2m/domain", "-ESRCH", $"domain {e.Domain} does not run on {hostName}", Waivable: false));
            return;
        }
        var clientPages = e.Client is { } client && contexts.ContainsKey(client) ? command.ClientPages : null;
        sharing ??= new HostSharing(world.Altp2m, hostName, world.Scenario.Hosts[host].IommuVendor);
        var outcome = sharing.Apply(e, command.DomainPages, clientPages, EnableSharing);
        if (outcome.Refusal is { } refusal)
        {
            Refused(world, host, e.Domain, null, null, refusal);
            return;
        }
        if (Journaling)
            PersistTagged(new SharingApplied { Domain = e.Domain!, Operation = outcome.Operation, Outcome = outcome.Applied! }, world.TagsOf(e.Domain!), _ => { });
        CheckViews($"after {outcome.Operation} on {e.Domain}");
    }

    /// <summary>What the sharing memop does first: mem_sharing on for the domain, unless the IOMMU is in use for it (-EXDEV).</summary>
    private Refusal? EnableSharing(string domain)
    {
        var context = ContextOf(domain);
        if (context.Facts.MemSharing) return null;
        if (MemSharingRule.Check(context.Facts) is { } refusal) return refusal;
        context.Facts = context.Facts with { MemSharing = true };
        if (Journaling) PersistTagged(new FeatureEnabled { Domain = domain, Feature = "mem-sharing" }, world.TagsOf(domain), _ => { });
        world.Toolstacks[host].Tell(new DomainFeatureEnabledReply(domain, DomainFeature.MemSharing), Self);
        return null;
    }

    /// <summary>
    /// The oracle of seeds/003: each view entry newly pointing at a frame its domain no longer has is a
    /// finding of the run, said with <paramref name="cause"/> (what had just happened).
    /// </summary>
    private void CheckViews(string cause)
    {
        if (sharing is null) return;
        foreach (var stale in sharing.NewlyStale())
        {
            RecordFinding(stale.Domain, Reports.OracleFinding.StaleView, $"{stale}; found {cause}");
        }
    }

    private void OnEnableFeature(EnableDomainFeature command)
    {
        var context = ContextOf(command.Domain);
        var refusal = command.Feature == DomainFeature.MemSharing ? MemSharingRule.Check(context.Facts) : MemPagingRule.Check(context.Facts);
        if (refusal is not null)
        {
            Refused(world, host, command.Domain, null, null, refusal);
            Sender.Tell(new DomainFeatureRefusedReply(command.Domain, command.Feature, refusal), Self);
            return;
        }
        context.Facts = command.Feature == DomainFeature.MemSharing ? context.Facts with { MemSharing = true } : context.Facts with { MemPaging = true };
        if (Journaling)
        {
            PersistTagged(new FeatureEnabled { Domain = command.Domain, Feature = command.Feature == DomainFeature.MemSharing ? "mem-sharing" : "mem-paging" },
                world.TagsOf(command.Domain), _ => { });
        }
        Sender.Tell(new DomainFeatureEnabledReply(command.Domain, command.Feature), Self);
    }

    private void OnDmaBurst(DmaBurst burst)
    {
        if (!contexts.TryGetValue(burst.Domain, out var context))
        {
            // The domain left this host: nothing is mapped for the device any more, every transaction faults.
            Sender.Tell(new DmaTranslatedReply(burst.Migration, burst.Transactions.Count, DmaSlice.Empty, burst.ReplyTo), Self);
            return;
        }
        var writeProtected = context.Facts.SharedPageTables && context.Facts.GlobalLogDirty;
        long writes = 0;
        foreach (var transaction in burst.Transactions)
        {
            if (transaction.Write) writes++;
        }
        var reads = burst.Transactions.Count - writes;
        // Write-protected shared tables fault every write; otherwise every write goes through.
        var faults = writeProtected ? writes : 0;
        var written = writeProtected ? 0 : writes;
        var stalledNow = false;
        if (writeProtected && world.TranslationFaults == TranslationFaultMode.Stall && (writes > 0 || stalled.Contains(burst.Bdf)))
        {
            // Stalled: the first faulting write waits for the fault to be resolved, and the device with
            // it; nothing of the burst after it happens. A stalled device does nothing more.
            reads = stalled.Contains(burst.Bdf) ? 0 : ReadsBeforeFirstWrite(burst);
            faults = stalled.Contains(burst.Bdf) ? 0 : 1;
            stalledNow = stalled.Add(burst.Bdf);
            if (stalledNow) oracles.Find(burst.Migration)?.RecordDeviceStalled();
        }
        oracles.Find(burst.Migration)?.RecordDmaFaults(faults);
        if (flushedAfterward.Count > 0 && flushedAfterward.TryGetValue(burst.Domain, out var deferred) && deferred.RingDevice == burst.Bdf) CheckStaleReach(burst, deferred);
        if (written > 0) context.Domain.Tell(new ApplyDmaWrites(burst.Migration, burst.Transactions), Self);
        if (burst.Transactions.Count > 0 && Journaling)
        {
            PersistTagged(new DmaTranslated
                {
                    Domain = burst.Domain, Bdf = burst.Bdf, Reads = reads, Writes = written, Faults = faults,
                    FaultsLogged = stalledNow ? (faultLog.Record(FirstWriteTicks(burst)) ? 1 : 0) : Logged(burst, faults), Stalled = stalledNow,
                },
                world.TagsOf(burst.Domain), _ => { });
        }
        Sender.Tell(new DmaTranslatedReply(burst.Migration, faults, written > 0 ? burst.Transactions : DmaSlice.Empty, burst.ReplyTo), Self);
    }

    private static long FirstWriteTicks(DmaBurst burst)
    {
        foreach (var transaction in burst.Transactions)
        {
            if (transaction.Write) return transaction.Ticks;
        }
        return burst.Transactions.FromTicks;
    }

    private static long ReadsBeforeFirstWrite(DmaBurst burst)
    {
        long reads = 0;
        foreach (var transaction in burst.Transactions)
        {
            if (transaction.Write) break;
            reads++;
        }
        return reads;
    }

    /// <summary>
    /// How many of a burst's faults the hypervisor's log kept: each device's fault messages go through
    /// the host's <see cref="FaultLog"/> (printk_ratelimit's bucket: a burst of 10, then one per 5 s), in the order the device made them.
    /// Only a journaled run keeps the log: it is what the timeline shows.
    /// </summary>
    private long Logged(DmaBurst burst, long faults)
    {
        if (faults == 0) return 0;
        long logged = 0;
        foreach (var transaction in burst.Transactions)
        {
            if (transaction.Write && faultLog.Record(transaction.Ticks)) logged++;
        }
        return logged;
    }

    /// <summary>Write protection lifted: the stalled transactions' faults are resolved, and their devices go on (the stalled write itself is not replayed).</summary>
    private void Unstall(DomainFacts facts)
    {
        if (stalled.Count == 0) return;
        foreach (var device in facts.Devices) stalled.Remove(device.Bdf);
    }

    private void OnUnregister(UnregisterDomain command)
    {
        StopActivity(command.Domain);
        if (contexts.TryGetValue(command.Domain, out var leaving))
        {
            Unstall(leaving.Facts);
            // Destroyed with its devices (a source copy after its handover, a crashed guest): their deferred flushes complete later.
            if (world.Invalidation == InvalidationMode.Deferred)
            {
                foreach (var device in leaving.Facts.Devices)
                {
                    if (atsDevices.TryGetValue(device.Bdf, out var spec) && world.FlushLatencyOf(spec) is var latency && latency > TimeSpan.Zero)
                        staleDetached[device.Bdf] = (Context.Now.Ticks + latency.Ticks, command.Domain, leaving);
                }
            }
        }
        flushedAfterward.Remove(command.Domain);
        contexts.Remove(command.Domain);
        if (sharing is not null)
        {
            // Its frames are freed: a view of another domain still pointing at one of them now points at free memory.
            sharing.Remove(command.Domain);
            CheckViews($"when {command.Domain} left {world.Scenario.Hosts[host].Name}");
        }
    }

    private void StartActivity(string domain, int migration, IoSpec? io, int vcpus)
    {
        if (io is not { Any: true } || !contexts.TryGetValue(domain, out var context)) return;
        // An HVM guest's balloon changes P2M entries, which map and unmap pages in the IOMMU only where
        // the domain has one in use (need_iommu: iommu: true or a device) and its tables are separate
        // (shared, the IOMMU walks the P2M itself).
        var facts = context.Facts;
        var now = Context.Now.Ticks;
        // A transferred page leaves the P2M as a ballooned one does (guest_physmap_remove_page(), then a page flipped back is added).
        var balloonPerSecond = facts.IommuInUse && !facts.SharedPageTables ? io.PagesLeavingPerSecond : 0;
        var balloonCaller = facts.Vendor == IommuVendor.Amd ? IommuCaller.P2mPtSetEntry : IommuCaller.EptSetEntry;
        var flushes = BalloonFlushesOf(facts, io, vcpus, now, out var ringDevice, out var slowDevices);
        if (io.GrantsPerSecond == 0 && balloonPerSecond == 0 && flushes is null) return;
        var plan = world.Scenario.Iommu is { InjectsFailures: true } failures
            // Each migration of the domain draws its own failures.
            ? new IommuFailurePlan(failures.FailureProbability, failures.FailingCalls,
                SplitMix.Derive(world.Options.Seed, "iommu-failures/", $"{domain}/{migration.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))
            : null;
        // A flush that is waited for holds the balloon from its next page, and so its calls.
        var calls = new IoActivity(io.GrantsPerSecond, balloonPerSecond, now, balloonCaller, flushes?.Hold.Ticks ?? 0);
        var activity = new Activity(migration, calls, plan, flushes, ringDevice, slowDevices) { DomainActor = context.Domain };
        activities[domain] = activity;
        var oracle = oracles.Find(migration);
        oracle?.TrackIommuCalls(activity.CallsBy);
        if (flushes is not null)
        {
            oracle?.TrackFlushes(activity.FlushCostBy);
            // The guest dirties nothing while its vCPUs are held (or one spins): its workload slows.
            if (flushes.Mode != InvalidationMode.Deferred) context.Domain.Tell(new LoseGuestTime(flushes.GuestTicksLostBy), Self);
            if (flushes.Mode == InvalidationMode.Deferred) flushedAfterward[domain] = activity;
            if (flushes.TimesOutAt is { } timesOut) Timers.StartSingleTimer((activity, "flush"), new FlushTimedOut(domain, activity), TimeSpan.FromTicks(timesOut - now));
        }
        ScheduleNextFailure(domain, activity);
    }

    /// <summary>
    /// The Device-TLB flushes the domain's balloon causes: one per page freed, to every ATS device it
    /// has (with shared tables or separate: either way the page leaves what the device may reach),
    /// as long as the slowest of them takes; null when it has no balloon or no ATS device that takes any time.
    /// </summary>
    private BalloonFlushes? BalloonFlushesOf(DomainFacts facts, IoSpec io, int vcpus, long now, out string? ringDevice, out IReadOnlyList<string> slowDevices)
    {
        ringDevice = null;
        slowDevices = [];
        if (io.PagesLeavingPerSecond <= 0 || atsDevices.Count == 0) return null;
        var latency = TimeSpan.Zero;
        List<string>? slow = null;
        foreach (var device in facts.Devices)
        {
            if (!atsDevices.TryGetValue(device.Bdf, out var spec)) continue;
            var flush = world.FlushLatencyOf(spec);
            if (flush <= TimeSpan.Zero) continue;
            if (ringDevice is null || string.CompareOrdinal(device.Bdf, ringDevice) < 0) ringDevice = device.Bdf;
            if (flush > latency) latency = flush;
            if (flush > InvalidationModes.DeviceTlbTimeout) (slow ??= []).Add(device.Bdf);
        }
        if (latency <= TimeSpan.Zero) return null;
        slowDevices = slow is null ? [] : slow.Order(StringComparer.Ordinal).ToArray();
        // Deferred, nothing waits: what matters is how long the ring device's own stale entries last.
        if (world.Invalidation == InvalidationMode.Deferred) latency = world.FlushLatencyOf(atsDevices[ringDevice!]);
        return new BalloonFlushes(world.Invalidation, latency, Math.Max(1, vcpus), now, io.PagesLeavingPerSecond, io.TransfersPerSecond);
    }

    /// <summary>The domain's I/O ends (log-dirty off, or the domain gone): what it called by now goes to the migration's oracle.</summary>
    private void StopActivity(string domain)
    {
        if (!activities.Remove(domain, out var activity)) return;
        Timers.Cancel(activity);
        Timers.Cancel((activity, "flush"));
        Stopped(activity);
    }

    /// <param name="callsUpTo">The last tick the domain's I/O made calls (now, unless it was stuck before).</param>
    private void Stopped(Activity activity, long? callsUpTo = null)
    {
        var now = Context.Now.Ticks;
        var oracle = oracles.Find(activity.Migration);
        oracle?.StopIommuCalls(activity.CallsBy(callsUpTo ?? now));
        if (activity.Flushes is not { } flushes) return;
        flushes.Stop(now);
        if (flushes.Mode != InvalidationMode.Deferred && activity.DomainActor is { } domain) domain.Tell(new LoseGuestTime(null), Self);
        var (cpu, vcpus) = activity.FlushCostBy(now);
        oracle?.StopFlushes(cpu, vcpus);
    }

    private void ScheduleNextFailure(string domain, Activity activity)
    {
        if (activity.Plan is not { } plan) return;
        // The scenario's limits (a probability of at least 1e-6, call numbers up to this) keep the next failure within reach.
        for (long scanned = 0; scanned < IommuSpec.CallsScannedMax; scanned++)
        {
            if (activity.Calls.Next() is not { } call) return;
            // Every call of the sequence is drawn, made or not, so that draws and call numbers stay in step.
            if (!plan.NextFails() || call.Number == activity.NotMade) continue;
            Timers.StartSingleTimer(activity, new CallFails(domain, activity, call), TimeSpan.FromTicks(Math.Max(0, call.Ticks - Context.Now.Ticks)));
            return;
        }
    }

    /// <summary>
    /// The call the plan fails, carried out against the context it is made on: a backend's grant on the
    /// hardware domain's (a fresh frame above its memory per failing grant, whichever domain's it is), a
    /// balloon page on the domain's own.
    /// </summary>
    private void OnCallFails(CallFails fails)
    {
        if (!activities.TryGetValue(fails.Domain, out var activity) || !ReferenceEquals(activity, fails.Activity)) return;
        var call = fails.Call;
        var failing = new IommuFailurePlan(0, [1], 0);
        DomainMappings mappings;
        long gfn;
        if (call.OnHardwareDomain)
        {
            mappings = HardwareDomainMappings;
            gfn = mappings.MemoryPages + grantFramesUsed++;
            if (call.Caller == IommuCaller.GrantMap)
            {
                // GNTST_general_error: the backend does not unmap what it could not map.
                activity.NotMade = call.Number + 1;
                activity.NotMadeCount++;
            }
            // The grant's unmap fails after its map went through.
            if (call.Caller == IommuCaller.GrantUnmap) IommuCalls.Execute(mappings, true, IommuCaller.GrantMap, IommuOperation.Map, gfn, 1, IommuFailurePlan.None);
        }
        else
        {
            // Only the crash matters to a guest's view (every failure crashes it): the page is the balloon's op-th.
            mappings = new DomainMappings(call.Op);
            gfn = call.Op - 1;
            if (call.Operation == IommuOperation.Map) IommuCalls.Execute(mappings, false, call.Caller, IommuOperation.Unmap, gfn, 1, IommuFailurePlan.None);
        }
        var before = mappings.DisagreementCount;
        var result = IommuCalls.Execute(mappings, call.OnHardwareDomain, call.Caller, call.Operation, gfn, 1, failing);
        var oracle = oracles.Find(activity.Migration);
        var disagreements = call.OnHardwareDomain ? mappings.DisagreementCount - before : 0;
        oracle?.RecordIommuFailure(disagreements, result.DomainCrashed);
        JournalFailure(fails.Domain, call.Caller, call.Operation, gfn, result.Error ?? "", call.Number, call.OnHardwareDomain, result.DomainCrashed, disagreements);
        if (!result.DomainCrashed)
        {
            ScheduleNextFailure(fails.Domain, activity);
            return;
        }
        activities.Remove(fails.Domain);
        Timers.Cancel((activity, "flush"));
        Stopped(activity);
        oracle?.StopIommuCalls(call.Number - activity.NotMadeCount);
        var rule = IommuCallers.Of(call.Caller);
        var reason = $"{rule.Function} failed to {(call.Operation == IommuOperation.Map ? "map" : "unmap")} gfn 0x{gfn:x} ({result.Error}) at the domain's IOMMU call {call.Number}: Xen crashed the domain";
        world.Toolstacks[host].Tell(new DomainCrashed(fails.Domain, activity.Migration, reason), Self);
    }

    /// <summary>
    /// The balloon's first Device-TLB flush did not complete within <c>iommu_dev_iotlb_timeout</c>
    /// (Xen 4.8 to 4.15): the devices that did not answer are marked broken (assigning them again
    /// fails with -EBADF) and the guest is crashed.
    /// </summary>
    private void OnFlushTimedOut(FlushTimedOut timedOut)
    {
        if (!activities.TryGetValue(timedOut.Domain, out var activity) || !ReferenceEquals(activity, timedOut.Activity)) return;
        activities.Remove(timedOut.Domain);
        Timers.Cancel(activity);
        // The balloon was in the flush's hypercall until now: nothing it would have done at this tick was done.
        Stopped(activity, callsUpTo: Math.Min(Context.Now.Ticks - 1, activity.PauseAskedTicks ?? long.MaxValue));
        oracles.Find(activity.Migration)?.RecordFlushTimeout(activity.SlowDevices.Count);
        if (Journaling) PersistTagged(Reports.Timeline.FlushTimedOut(timedOut.Domain, activity.SlowDevices), world.TagsOf(timedOut.Domain), _ => { });
        var toolstack = world.Toolstacks[host];
        toolstack.Tell(new DevicesBroken(timedOut.Domain, activity.SlowDevices), Self);
        var devices = string.Join(", ", activity.SlowDevices);
        var what = activity.Flushes!.IsTransfer(1) ? "the frontend gave its backend (gnttab_transfer)" : "the balloon freed";
        var reason = $"the Device-TLB flush of {devices} for a page {what} did not complete within {InvalidationModes.DeviceTlbTimeout.TotalSeconds:0} s " +
                     $"(iommu_dev_iotlb_timeout): Xen marked the device{(activity.SlowDevices.Count == 1 ? "" : "s")} broken and crashed the domain";
        toolstack.Tell(new DomainCrashed(timedOut.Domain, activity.Migration, reason), Self);
    }

    /// <summary>
    /// A deferred flush (seeds/001's rejected tasklet): a DMA of the device whose ring the balloon
    /// frees reaches a page its domain gave back, through the translation its Device-TLB still holds.
    /// Each is a security violation; the oracle keeps the count and the first.
    /// </summary>
    private void CheckStaleReach(DmaBurst burst, Activity activity)
    {
        var flushes = activity.Flushes!;
        var stream = burst.Transactions.Stream;
        var oracle = oracles.Find(burst.Migration);
        if (stream is null || oracle is null) return;
        StaleTranslationsReached? reached = null;
        foreach (var transaction in burst.Transactions)
        {
            if (flushes.LeftUnderDevice(transaction.Page - stream.BufferStartPage, stream.BufferPages, transaction.Ticks) is not { } left) continue;
            reached ??= new StaleTranslationsReached
            {
                Domain = burst.Domain, Bdf = burst.Bdf, FirstGfn = transaction.Page, FirstTicks = transaction.Ticks, FirstWrite = transaction.Write, FirstFreedTicks = left.Ticks,
                FirstTransferred = left.Transferred,
            };
            reached.Count++;
        }
        if (reached is null) return;
        // Only the migration's first violation is described: the rest are counted.
        var backend = ToolstackActor.HardwareDomainName(world.Scenario.Hosts[host].Name);
        var (gone, owner) = reached.FirstTransferred
            ? ($"the frontend gave the page to {backend} (gnttab_transfer)", $"the frame was {backend}'s")
            : ("the balloon freed the page", "the frame was back in Xen's free pages");
        var first = oracle.SecurityViolations > 0 ? "" : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{burst.Bdf} {(reached.FirstWrite ? "wrote" : "read")} gfn 0x{reached.FirstGfn:x} of {burst.Domain} at {reached.FirstTicks / (double)TimeSpan.TicksPerSecond:0.000000} s " +
            $"through a stale Device-TLB entry: {gone} at {reached.FirstFreedTicks / (double)TimeSpan.TicksPerSecond:0.000000} s and the deferred flush " +
            $"completes at {(reached.FirstFreedTicks + flushes.Latency.Ticks) / (double)TimeSpan.TicksPerSecond:0.000000} s ({owner})");
        oracle.RecordSecurityViolations(reached.Count, first);
        if (Journaling) PersistTagged(reached, world.TagsOf(burst.Domain), _ => { });
    }

    private DomainContext ContextOf(string domain) =>
        contexts.TryGetValue(domain, out var context)
            ? context
            : throw new InvalidOperationException($"IOMMU of host {host} has no context for domain {domain}");
}
