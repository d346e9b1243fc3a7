using Migration.Actors;
using Migration.Persistence;
using Migration.Simulation.Events;
using Migration.Simulation.Messages;
using Migration.Simulation.Reports;
using Migration.Simulation.World;
using Migration.Xen;
using Migration.Xen.Memory;
using Migration.Xen.Oracle;
using Migration.Xen.Iommu;
using Migration.Xen.PreCopy;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Actors;

/// <summary>
/// One live migration, run by the source toolstack: unplug (optionally), its own checks, the proposal
/// to the destination, log-dirty, pre-copy passes, stop-and-copy, and the two-phase handover. Each
/// phase is a behaviour; the rules it applies live in Migration.Xen.
/// </summary>
public sealed class MigrationCoordinator : RefusingActor
{
    /// <summary>How long the destination may take to answer a proposal or a prepare before the source gives up.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The destination's lease is renewed when the stream's end comes within this much of its expiry (half its margin).</summary>
    public static readonly long LeaseNoticeTicks = AnswerTimeout.Ticks / 2;

    /// <summary>A handover decision (commit or abort) is durable: it is re-sent at this interval until acknowledged.</summary>
    public static readonly TimeSpan DecisionRetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times a decision is sent before the coordinator stops trying (a partition that outlasts
    /// this leaves the destination's copy waiting, as a blocked two-phase commit does).
    /// </summary>
    public const int DecisionAttemptsMax = 3_600;

    /// <summary>CPU and device state sent with the last pages, per vCPU.</summary>
    public const long StateBytesPerVcpu = 64 * 1024;

    private readonly CoordinatorSetup setup;
    private readonly PeekAndClean peekAndClean;
    private IReadOnlyList<string> tags = [];
    private SimulationWorld world = null!;
    private MigrationOracle? oracle;
    private Xen.Policies.DomainFacts facts;
    private Scenarios.Model.DomainSpec domainSpec;
    private readonly List<LocalDevice> devices;
    private readonly HashSet<string> leaving = new(StringComparer.Ordinal);   // hot-unplugged, flushed once more
    private readonly List<string> unplugged = new();
    private bool waiverLeft;
    private long startTicks;
    private long passStartTicks;
    private int passes;
    private long pagesSentTotal;
    private long dmaFaultsBefore;
    private int answersPending;
    private readonly List<long> reportedPages = new();
    private long pauseTicks;
    private long stalePages;
    private int decisionAttempts;
    private long pagesOfLastPass;
    private bool finished;
    private bool streaming;
    private bool connected;   // the stream's connection is open on the links (from the first pass until closed)
    private int streamPass;
    private long leasedUntilTicks;
    private StreamSent? lastPass;
    private long wireBytes;
    private long wireTicks;
    private double minPassRate = double.PositiveInfinity;

    private sealed record Begin;
    // Timer messages carry nothing, so one instance of each serves every coordinator.
    private sealed record AnswerTimedOut
    {
        public static readonly AnswerTimedOut Instance = new();
    }

    private sealed record RetryDecision
    {
        public static readonly RetryDecision Instance = new();
    }

    /// <summary>The phases of a migration, in order; each answers only the messages it expects.</summary>
    private enum Phase
    {
        Starting,
        Unplugging,
        Proposing,
        EnablingLogDirty,
        PreCopying,
        Pausing,
        SendingFinal,
        Preparing,
        Committing,
        Aborting,
    }

    private Phase phase = Phase.Starting;

    public MigrationCoordinator(CoordinatorSetup setup)
    {
        this.setup = setup;
        peekAndClean = new PeekAndClean(setup.Index);
        facts = setup.Facts;
        domainSpec = setup.Domain;
        devices = new List<LocalDevice>(setup.Devices);
    }

    public override string PersistenceId => $"migration-{setup.Index}";

    protected override void PreStart()
    {
        base.PreStart();
        world = SimulationWorld.Of(Context.System);
        tags = world.TagsOf(setup.Domain.Name);
        waiverLeft = world.Options.Waive.Contains(setup.Index);
        Self.Tell(new Begin(), Self);
    }

    // Each phase is a method that handles the messages it expects, one line each, and Become moves
    // to the next, as ReceiveActor's Become switches behaviours; a phase is a value rather than a
    // behaviour built of handler objects because a run has a coordinator per migration (hundreds),
    // each passing through every phase.
    protected override bool OnCommand(object message)
    {
        switch (message)
        {
            // What scenario events change under a migration reaches it in any phase.
            case DeviceJoined joined: OnDeviceJoined(joined); return true;
            case DeviceLeft left: OnDeviceLeft(left); return true;
            case DomainSpecChanged changed: OnDomainSpecChanged(changed); return true;
            case DomainCrashed crashed: OnDomainCrashed(crashed); return true;
            default: return OnPhaseCommand(message);
        }
    }

    private bool OnPhaseCommand(object message) => phase switch
    {
        Phase.Starting => Starting(message),
        Phase.Unplugging => Unplugging(message),
        Phase.Proposing => Proposing(message),
        Phase.EnablingLogDirty => EnablingLogDirty(message),
        Phase.PreCopying => PreCopying(message),
        Phase.Pausing => Pausing(message),
        Phase.SendingFinal => SendingFinal(message),
        Phase.Preparing => Preparing(message),
        Phase.Committing => Committing(message),
        Phase.Aborting => Aborting(message),
        _ => false,
    };

    private void Become(Phase next) => phase = next;

    private void OnDeviceJoined(DeviceJoined joined)
    {
        devices.Add(joined.Device);
        facts = facts with { Devices = devices.ConvertAll(d => d.Facts) };
    }

    /// <summary>
    /// During pre-copy the device's DMA until it left is flushed at the end of the pass, like every
    /// device's; outside pre-copy nothing of it is read, so it goes at once.
    /// </summary>
    private void OnDeviceLeft(DeviceLeft left)
    {
        unplugged.Remove(left.Bdf);
        if (phase == Phase.PreCopying) leaving.Add(left.Bdf);
        else DropDevice(left.Bdf);
    }

    private void DropDevice(string bdf)
    {
        devices.RemoveAll(d => d.Bdf == bdf);
        facts = facts with { Devices = devices.ConvertAll(d => d.Facts) };
    }

    private void OnDomainSpecChanged(DomainSpecChanged changed)
    {
        domainSpec = changed.Spec;
        facts = facts with { MemSharing = changed.Spec.MemSharing, MemPaging = changed.Spec.MemPaging };
    }

    private long Now => Context.Now.Ticks;

    /// <summary>
    /// The hypervisor crashed the domain (an IOMMU call failed during pre-copy, a Device-TLB flush
    /// timed out as a device was unplugged or a page freed): nothing is left to move; the destination
    /// gives back what it reserved. Once the handover is under way the source copy is paused and
    /// calls nothing, so no crash reaches a later phase.
    /// </summary>
    private void OnDomainCrashed(DomainCrashed crashed)
    {
        if (finished || phase == Phase.Starting) return;
        if (phase is Phase.Preparing or Phase.Committing or Phase.Aborting)
        {
            // The paused source copy crashed after its final copy was sent (a device plugged into it,
            // say): the handover goes on, but an abort has no source copy left to resume.
            sourceCrash = crashed.Reason;
            return;
        }
        // While unplugging (a Device-TLB flush timed out) nothing was asked of the destination yet;
        // from the proposal on, it may hold a reservation (releasing one it does not hold is nothing).
        if (phase != Phase.Unplugging) SendToDestination(new CancelReservation(setup.Index));
        Timers.Cancel("answer");
        finalPagesWaiting?.Dispose();
        finalPagesWaiting = null;
        Finish(Outcome.Failed, null, crashed.Reason, left: false);
    }

    private bool Starting(object message)
    {
        if (message is not Begin) return false;
        OnBegin();
        return true;
    }

    private void OnBegin()
    {
        startTicks = Now;
        // Open from the start: unplugging an ATS device flushes its Device-TLB, whose cost is this migration's.
        oracle = MigrationOracleRegistry.Of(Context.System).Open(setup.Index);
        if (Journaling)
        {
            PersistTagged(new MigrationStarted
            {
                Migration = setup.Index, Domain = setup.Domain.Name, FromHost = setup.FromHost, ToHost = setup.ToHost,
                UnplugReplug = setup.Migration.UnplugReplug,
            }, tags, _ => { });
        }
        if (setup.Migration.UnplugReplug && devices.Count > 0)
        {
            answersPending = devices.Count;
            foreach (var device in devices) setup.Iommu.Tell(new DeassignDevice(setup.Domain.Name, device.Bdf, setup.Index, domainSpec.Vcpus), Self);
            Become(Phase.Unplugging);
            return;
        }
        CheckAndPropose();
    }

    /// <summary>Identifies this migration's current pass in the oracle digest.</summary>
    private ulong PassKey() => Xen.SplitMix.Mix(((ulong)setup.Index << 20) ^ (ulong)passes);

    private bool Unplugging(object message)
    {
        if (message is not DeviceDeassignedReply reply) return false;
        OnDeviceDeassigned(reply);
        return true;
    }

    private void OnDeviceDeassigned(DeviceDeassignedReply reply)
    {
        // A scenario's hot-unplug of the same device may have taken it already.
        if (devices.Find(d => d.Bdf == reply.Bdf) is { } device)
        {
            device.Actor.Tell(new DetachFromDomain(), Self);
            unplugged.Add(reply.Bdf);
            DropDevice(reply.Bdf);
        }
        if (--answersPending > 0) return;
        CheckAndPropose();
    }

    private void CheckAndPropose()
    {
        if (ToolstackRules.CheckSource(setup.Kind, facts) is { } refusal && !TryWaive(refusal))
        {
            Refused(world, setup.FromHost, setup.Domain.Name, null, setup.Index, refusal);
            Finish(Outcome.Vetoed, refusal, refusal.Reason, left: false);
            return;
        }
        var source = world.Scenario.Hosts[setup.FromHost];
        var tsc = TscRules.Effective(domainSpec.Tsc, domainSpec.Nomigrate, source.IommuVendor);
        var proposal = new ProposeMigration(setup.Index, setup.Domain.Name, setup.FromHost, setup.Domain.MemoryBytes, tsc,
            source.TscKhz, unplugged.Count + devices.Count, unplugged.Count, Self);
        SendToDestination(proposal);
        Timers.StartSingleTimer("answer", AnswerTimedOut.Instance, AnswerTimeout);
        Become(Phase.Proposing);
    }

    private bool Proposing(object message)
    {
        switch (message)
        {
            case MigrationAccepted: OnAccepted(); return true;
            case MigrationRejected rejected: OnRejected(rejected); return true;
            case AnswerTimedOut: GiveUp("the destination did not answer the proposal"); return true;
            default: return false;
        }
    }

    private void OnAccepted()
    {
        Timers.Cancel("answer");
        // The oracle (open since the start) is open before the IOMMU turns log-dirty on: the domain's I/O is counted from that moment.
        setup.Iommu.Tell(new EnableLogDirty(setup.Domain.Name, setup.Index, waiverLeft, domainSpec.Io, domainSpec.Vcpus), Self);
        Become(Phase.EnablingLogDirty);
    }

    private void OnRejected(MigrationRejected rejected)
    {
        Timers.Cancel("answer");
        Finish(Outcome.Vetoed, rejected.Refusal, rejected.Refusal.Reason, left: false);
    }

    private bool EnablingLogDirty(object message)
    {
        switch (message)
        {
            case LogDirtyEnabledReply reply: OnLogDirtyEnabled(reply); return true;
            case LogDirtyVetoedReply reply: OnLogDirtyVetoed(reply); return true;
            default: return false;
        }
    }

    private void OnLogDirtyEnabled(LogDirtyEnabledReply reply)
    {
        if (reply.Waived is { } waived) UseWaiver(waived);
        Become(Phase.PreCopying);
        StartPass(PageBitmap.Every(setup.Memory.PageCount), dirtyBytesPerSecondLast: 0);
    }

    private void OnLogDirtyVetoed(LogDirtyVetoedReply reply)
    {
        SendToDestination(new CancelReservation(setup.Index));
        Finish(Outcome.Vetoed, reply.Refusal, reply.Refusal.Reason, left: false);
    }

    private void StartPass(PageBitmap pages, double dirtyBytesPerSecondLast)
    {
        // The policy's own limit on the pass (pre-4.6 rate limiting); the links decide the rest.
        var cap = world.PreCopy.PassBytesPerSecond(passes, double.PositiveInfinity, dirtyBytesPerSecondLast);
        passStartTicks = Now;
        pagesOfLastPass = pages.Count;
        var bytes = Link.StreamBytes(pages.Count);
        pagesSentTotal += pages.Count;
        world.Fold(pages.Checksum() ^ PassKey());
        oracle!.PassStarted(pages, passStartTicks, ExpectedTicks(bytes, cap));
        Stream(bytes, cap);
    }

    /// <summary>Puts this pass on the source's link, renewing the destination's lease if the pass's expected end comes within <see cref="LeaseNoticeTicks"/> of its expiry.</summary>
    private void Stream(long bytes, double cap)
    {
        streaming = true;
        connected = true;
        streamPass = passes;
        var expectedEnd = Now + ExpectedTicks(bytes, cap);
        // The lease is renewed only when it would not outlast the end by half its margin: a pass
        // shorter than the last needs no word to the destination.
        if (expectedEnd + LeaseNoticeTicks > leasedUntilTicks) KeepReservation(expectedEnd);
        world.Links[setup.FromHost].Tell(new SendStream(setup.Index, passes, bytes, setup.ToHost, cap, leasedUntilTicks - AnswerTimeout.Ticks, Self), Self);
    }

    /// <summary>How long <paramref name="bytes"/> take with the whole of both links (the least a pass can take).</summary>
    private long ExpectedTicks(long bytes, double cap) =>
        Link.TransferTicks(bytes, Math.Min(cap, Math.Min(world.LinkBytesPerSecond(setup.FromHost), world.LinkBytesPerSecond(setup.ToHost))));

    /// <summary>A pass's last byte is sent: what it got is kept for the report.</summary>
    private void PassOffWire(StreamSent sent)
    {
        streaming = false;
        lastPass = sent;
        if (sent.Bytes <= 0) return;
        wireBytes += sent.Bytes;
        wireTicks += sent.DurationTicks;
        minPassRate = Math.Min(minPassRate, sent.MeanBytesPerSecond);
    }

    /// <summary>The stream slowed: the destination's lease must outlast its new end.</summary>
    private void OnStreamEndMoved(StreamEndMoved moved)
    {
        // The link tells only when the end moved half the lease's margin past what the lease covers.
        if (streaming && moved.Pass == streamPass) KeepReservation(moved.EndTicks);
    }

    /// <summary>
    /// The pre-copy loop, one behaviour for its three steps: a pass is on the wire until PassDone; then
    /// the devices flush their DMA (DmaFlushed from each); then the domain's dirty bitmap is read
    /// (DirtyPagesRead), which starts the next pass or the stop-and-copy. Each step's message answers
    /// the one request outstanding, so the step is never ambiguous.
    /// </summary>
    private bool PreCopying(object message)
    {
        switch (message)
        {
            case StreamSent sent: OnPassDone(sent); return true;
            case StreamEndMoved moved: OnStreamEndMoved(moved); return true;
            case DmaFlushed flushed: OnDmaFlushed(flushed); return true;
            case DirtyPagesRead read: OnDirtyPagesRead(read); return true;
            default: return false;
        }
    }

    private void OnPassDone(StreamSent sent)
    {
        PassOffWire(sent);
        oracle!.PassEnded(sent.DurationTicks);
        passes++;
        if (LinkOrDestinationFailed(passStartTicks, passes - 1)) return;
        reportedPages.Clear();
        dmaFaultsBefore = oracle!.DmaFaults;
        if (devices.Count == 0)
        {
            setup.DomainActor.Tell(peekAndClean, Self);
            return;
        }
        answersPending = devices.Count;
        foreach (var device in devices) device.Actor.Tell(new FlushDma(setup.Index, passStartTicks, Self), Self);
    }

    private void OnDmaFlushed(DmaFlushed flushed)
    {
        if (flushed.ReportedPages is { } pages) reportedPages.AddRange(pages);
        if (--answersPending > 0) return;
        foreach (var bdf in leaving) DropDevice(bdf);
        leaving.Clear();
        setup.DomainActor.Tell(peekAndClean, Self);
    }

    private void OnDirtyPagesRead(DirtyPagesRead read)
    {
        var pages = read.Pages;
        long reported = 0;
        foreach (var page in reportedPages)
        {
            if (pages.Set(page)) reported++;
        }
        if (Journaling)
        {
            PersistTagged(new PassSent
            {
                Migration = setup.Index, Domain = setup.Domain.Name, Pass = passes - 1, Pages = pagesOfLastPass, CpuDirtied = read.CpuPages,
                DmaPages = oracle!.DmaPagesThisPass, ReportedPages = reported, DmaFaults = oracle.DmaFaults - dmaFaultsBefore,
                DurationTicks = lastPass!.DurationTicks, RateBytesPerSecond = lastPass.MeanBytesPerSecond, SourceStreams = lastPass.SourceStreamsMax,
                DestinationStreams = lastPass.DestinationStreamsMax,
            }, tags, _ => { });
        }
        var progress = new PreCopyProgress(passes, pages.Count, pagesSentTotal, setup.Memory.PageCount);
        if (world.PreCopy.Decide(progress) == PreCopyDecision.ContinuePreCopy)
        {
            var duration = lastPass!.DurationTicks;
            var dirtyRate = duration == 0 ? 0 : pages.Count * (double)Link.PageBytes * TimeSpan.TicksPerSecond / duration;
            StartPass(pages, dirtyRate);
            return;
        }
        StopAndCopy(pages);
    }

    private void StopAndCopy(PageBitmap finalPages)
    {
        // Pause now: the vCPUs and (quiesced) devices write nothing more, so the bitmap just read is the last one.
        setup.DomainActor.Tell(new PauseDomain(), Self);
        foreach (var bdf in leaving) DropDevice(bdf);
        leaving.Clear();
        pauseTicks = Now;
        world.Fold(finalPages.Checksum() ^ PassKey());
        stalePages = oracle!.SwitchOver(finalPages);
        if (WaitsForFlushes())
        {
            // A vCPU spinning on a Device-TLB flush is in a hypercall: the pause completes when it returns.
            finalPagesWaiting = finalPages;
            setup.Iommu.Tell(new QuiesceFlushes(setup.Domain.Name), Self);
            Become(Phase.Pausing);
            return;
        }
        SendFinal(finalPages);
    }

    /// <summary>
    /// Whether the domain's pause may wait for a Device-TLB flush: its balloon frees (or its frontend transfers) pages under an ATS
    /// device that takes time, and the run's mode waits by spinning. Only then is the IommuUnit asked
    /// (every other run's messages stay as they were).
    /// </summary>
    private bool WaitsForFlushes() =>
        world.Invalidation is InvalidationMode.Spin or InvalidationMode.Timeout && domainSpec.Io is { PagesLeavingPerSecond: > 0 }
        && devices.Exists(d => world.FlushLatencyOn(setup.FromHost, d.Bdf) > TimeSpan.Zero);

    private PageBitmap? finalPagesWaiting;

    private bool Pausing(object message)
    {
        switch (message)
        {
            case FlushWait wait: OnFlushWait(wait); return true;
            case PauseCompleted: OnPauseCompleted(); return true;
            default: return false;
        }
    }

    private sealed record PauseCompleted
    {
        public static readonly PauseCompleted Instance = new();
    }

    /// <summary>
    /// The pause waits for the flush under way: the destination's lease is kept until then. A flush
    /// that times out crashes the domain (its crash comes through the toolstack); nothing else ends the wait.
    /// </summary>
    private void OnFlushWait(FlushWait wait)
    {
        if (wait.UntilTicks + LeaseNoticeTicks > leasedUntilTicks) KeepReservation(wait.UntilTicks);
        if (wait.TimesOut) return;
        if (wait.UntilTicks <= Now) OnPauseCompleted();
        else Timers.StartSingleTimer("pause", PauseCompleted.Instance, TimeSpan.FromTicks(wait.UntilTicks - Now));
    }

    private void OnPauseCompleted()
    {
        var finalPages = finalPagesWaiting!;
        finalPagesWaiting = null;
        SendFinal(finalPages);
    }

    private void SendFinal(PageBitmap finalPages)
    {
        setup.Iommu.Tell(new DisableLogDirty(setup.Domain.Name), Self);
        var bytes = Link.StreamBytes(finalPages.Count) + StateBytesPerVcpu * setup.Domain.Vcpus;
        // From the pause: a link down while the pause waited for a flush is the final copy's to notice.
        passStartTicks = pauseTicks;
        pagesOfLastPass = finalPages.Count;
        pagesSentTotal += finalPages.Count;
        finalPages.Dispose();
        // The final copy is not rate limited: the domain is paused.
        Stream(bytes, double.PositiveInfinity);
        passes++;
        Become(Phase.SendingFinal);
    }

    private bool SendingFinal(object message)
    {
        switch (message)
        {
            case StreamSent sent: OnFinalSent(sent); return true;
            case StreamEndMoved moved: OnStreamEndMoved(moved); return true;
            default: return false;
        }
    }

    private void OnFinalSent(StreamSent sent)
    {
        PassOffWire(sent);
        CloseConnection();
        if (Journaling)
        {
            PersistTagged(new PassSent
            {
                Migration = setup.Index, Domain = setup.Domain.Name, Pass = passes - 1, Pages = pagesOfLastPass, DurationTicks = sent.DurationTicks, Final = true,
                RateBytesPerSecond = sent.MeanBytesPerSecond, SourceStreams = sent.SourceStreamsMax, DestinationStreams = sent.DestinationStreamsMax,
            }, tags, _ => { });
        }
        if (LinkOrDestinationFailed(passStartTicks, pass: null)) return;
        var destinationHost = world.Scenario.Hosts[setup.ToHost];
        var incomingFacts = facts with
        {
            Devices = [], GlobalLogDirty = false, Vendor = destinationHost.IommuVendor, IommuLifetime = destinationHost.IommuLifetime,
            SharedPageTables = Xen.Policies.DomainFacts.SharesPageTables(destinationHost.IommuVendor, destinationHost.SharedPageTables, setup.Domain.SyncPageTables),
        };
        SendToDestination(new PrepareHandover(setup.Index, domainSpec, incomingFacts, setup.Memory.Image(), setup.Incarnation + 1,
            devices.Count, waiverLeft, Self));
        Timers.StartSingleTimer("answer", AnswerTimedOut.Instance, AnswerTimeout);
        Become(Phase.Preparing);
    }

    private bool Preparing(object message)
    {
        switch (message)
        {
            case HandoverPrepared prepared: OnPrepared(prepared); return true;
            case HandoverRefused refused: OnPrepareRefused(refused); return true;
            case HandoverUnknown: OnPrepareUnknown(); return true;
            case AnswerTimedOut: OnPrepareTimedOut(); return true;
            default: return false;
        }
    }

    private void OnPrepared(HandoverPrepared prepared)
    {
        Timers.Cancel("answer");
        if (prepared.Waived is { } waived) UseWaiver(waived);
        // The decision is journaled before it is sent. The source copy stays paused until the
        // destination confirms: whatever is lost afterwards, one copy can still run.
        if (Journaling) PersistTagged(new HandoverDecided { Migration = setup.Index, Domain = setup.Domain.Name, Commit = true }, tags, _ => { });
        SendDecision(new CommitHandover(setup.Index));
        Become(Phase.Committing);
    }

    private void OnPrepareRefused(HandoverRefused refused)
    {
        Timers.Cancel("answer");
        if (Journaling) PersistTagged(new HandoverDecided { Migration = setup.Index, Domain = setup.Domain.Name, Commit = false, Reason = refused.Refusal.Reason }, tags, _ => { });
        ResumeSource();
        Finish(Outcome.Vetoed, refused.Refusal, refused.Refusal.Reason, left: false);
    }

    private void OnPrepareUnknown()
    {
        // The lease on the reservation lapsed before the prepare arrived: nothing waits there.
        Timers.Cancel("answer");
        ResumeSource();
        Finish(Outcome.Aborted, null, "the destination had released its reservation before the handover (the source was silent too long)",
            left: false, downtimeTicks: Now - pauseTicks);
    }

    private void OnPrepareTimedOut()
    {
        // Prepared or not, the destination learns of the abort when the link lets it: its copy
        // (if any) waits paused until then, and the source runs on.
        if (Journaling) PersistTagged(new HandoverDecided { Migration = setup.Index, Domain = setup.Domain.Name, Commit = false, Reason = "no answer to the prepare" }, tags, _ => { });
        ResumeSource();
        if (world.Faults.IsCrashed(setup.ToHost, Now))
        {
            Finish(Outcome.Failed, null, $"the destination host {HostName(setup.ToHost)} crashed during the handover", left: false);
            return;
        }
        SendDecision(new AbortHandover(setup.Index));
        Become(Phase.Aborting);
    }

    private bool Aborting(object message)
    {
        switch (message)
        {
            case HandoverAborted: EndAborted(); return true;
            case HandoverUnknown: EndAborted(); return true;
            case RetryDecision: OnRetryAbort(); return true;
            default: return false;
        }
    }

    private void OnRetryAbort()
    {
        if (world.Faults.IsCrashed(setup.ToHost, Now) || decisionAttempts >= DecisionAttemptsMax) EndAborted();
        else SendDecision(new AbortHandover(setup.Index));
    }

    private void EndAborted()
    {
        Timers.Cancel("decision");
        Finish(Outcome.Aborted, null, $"the destination did not answer the handover within {AnswerTimeout.TotalSeconds:0} s; the source copy runs on",
            left: false, downtimeTicks: Now - pauseTicks);
    }

    private void SendDecision(object decision)
    {
        decisionAttempts++;
        SendToDestination(decision);
        Timers.StartSingleTimer("decision", RetryDecision.Instance, DecisionRetryInterval);
    }

    private bool Committing(object message)
    {
        switch (message)
        {
            case HandoverCommitted committed: OnCommitted(committed); return true;
            case HandoverUnknown: OnCommitUnknown(); return true;
            case RetryDecision: OnRetryCommit(); return true;
            default: return false;
        }
    }

    private void OnCommitted(HandoverCommitted committed)
    {
        Timers.Cancel("decision");
        setup.DomainActor.Tell(new DestroyDomain(), Self);
        var faults = oracle!.DmaFaults;
        var outcome = faults > 0 ? Outcome.Faulted : stalePages > 0 ? Outcome.Corrupted : Outcome.Completed;
        var reason = outcome switch
        {
            Outcome.Faulted => $"{faults} DMA writes faulted while log-dirty write-protected the shared page tables",
            Outcome.Corrupted => $"{stalePages} pages written by DMA were never re-sent: stale on the destination",
            _ => "",
        };
        if (committed.ReplugRefusals.Count > 0)
            reason = (reason.Length > 0 ? reason + "; " : "") + "re-plugging on the destination was refused: " + string.Join("; ", committed.ReplugRefusals.Select(r => r.Refusal.Reason));
        if (FlushAtTeardown() is { } broken)
            reason = (reason.Length > 0 ? reason + "; " : "") + broken;
        Finish(outcome, null, reason, left: true, downtimeTicks: committed.ResumedTicks - pauseTicks,
            replug: committed.ReplugRefusals.Count > 0 ? committed.ReplugRefusals[0] : null);
    }

    /// <summary>
    /// The source copy is destroyed after the handover: each ATS device it still has is taken from it,
    /// its Device-TLB flushed (the source host's CPU spins under spin; under timeout a device slower
    /// than 1 s is left broken on the source host, the domain running on elsewhere). Computed here, from
    /// the flush's latency: nothing waits for it. Returns what to add to the reason, or null.
    /// </summary>
    private string? FlushAtTeardown()
    {
        List<string>? broken = null;
        foreach (var device in devices)
        {
            var latency = world.FlushLatencyOn(setup.FromHost, device.Bdf);
            if (latency <= TimeSpan.Zero) continue;
            // A destroyed domain has no vCPUs to hold, and its pages go back only when the flush is done.
            var flush = DeviceTlbFlush.Of(world.Invalidation, latency, hardwareDomain: false, vcpus: 1);
            oracle!.RecordDetachFlush(flush.CpuSpin.Ticks, 0);
            if (flush.DeviceBroken) (broken ??= []).Add(device.Bdf);
        }
        if (broken is null) return null;
        oracle!.RecordDevicesBroken(broken.Count);
        world.Toolstacks[setup.FromHost].Tell(new DevicesBroken(setup.Domain.Name, broken), Self);
        if (Journaling) PersistTagged(Reports.Timeline.FlushTimedOut(setup.Domain.Name, broken), tags, _ => { });
        return $"the Device-TLB flush of {string.Join(", ", broken)} as the source copy was destroyed did not complete within " +
               $"{InvalidationModes.DeviceTlbTimeout.TotalSeconds:0} s: Xen left the device{(broken.Count == 1 ? "" : "s")} broken on {HostName(setup.FromHost)}";
    }

    private void OnCommitUnknown()
    {
        // The destination holds no prepared copy (it never had one): the source copy is the only one.
        Timers.Cancel("decision");
        ResumeSource();
        Finish(Outcome.Aborted, null, "the destination no longer held the incoming copy at the commit; the source copy runs on",
            left: false, downtimeTicks: Now - pauseTicks);
    }

    private void OnRetryCommit()
    {
        if (world.Faults.IsCrashed(setup.ToHost, Now))
        {
            // Whatever the destination did with its copy, it died with the host: the source copy resumes.
            ResumeSource();
            Finish(Outcome.Failed, null, $"the destination host {HostName(setup.ToHost)} crashed after the commit decision; the source copy runs on",
                left: false, downtimeTicks: Now - pauseTicks);
            return;
        }
        if (decisionAttempts >= DecisionAttemptsMax)
        {
            Finish(Outcome.Failed, null,
                $"the commit was never acknowledged in {DecisionAttemptsMax} attempts: both copies wait paused (a blocked two-phase commit)", left: false);
            return;
        }
        SendDecision(new CommitHandover(setup.Index));
    }

    /// <summary>Ends the migration if its destination crashed or the link went down since <paramref name="sinceTicks"/>, during <paramref name="pass"/> (null: the final copy).</summary>
    private bool LinkOrDestinationFailed(long sinceTicks, int? pass)
    {
        var when = pass is { } number ? $"during pass {number}" : "during the final copy";
        if (world.Faults.IsCrashed(setup.ToHost, Now))
        {
            CleanUpSource();
            Finish(Outcome.Failed, null, $"destination host {HostName(setup.ToHost)} crashed {when}", left: false, downtimeTicks: PausedFor());
            return true;
        }
        if (world.Faults.LinkDownDuring(setup.FromHost, setup.ToHost, sinceTicks, Now))
        {
            CleanUpSource();
            // If this is lost too, the destination's lease on the reservation runs out.
            SendToDestination(new CancelReservation(setup.Index));
            Finish(Outcome.Aborted, null, $"the link to {HostName(setup.ToHost)} went down {when}", left: false, downtimeTicks: PausedFor());
            return true;
        }
        return false;
    }

    private void GiveUp(string what)
    {
        SendToDestination(new CancelReservation(setup.Index));
        if (world.Faults.IsCrashed(setup.ToHost, Now))
            Finish(Outcome.Failed, null, $"{what}: host {HostName(setup.ToHost)} is down", left: false);
        else
            Finish(Outcome.Aborted, null, $"{what} within {AnswerTimeout.TotalSeconds:0} s", left: false);
    }

    /// <summary>
    /// Stopped without a verdict: the source host crashed (its toolstack stops every coordinator), and
    /// the domain with it. Nothing is sent: the host is gone; the destination's lease runs out.
    /// </summary>
    protected override void PostStop()
    {
        if (finished) return;
        if (world.Faults.IsCrashed(setup.FromHost, Now))
            Finish(Outcome.Failed, null, $"the source host {HostName(setup.FromHost)} crashed; the domain was lost with it", left: false, sourceLost: true);
        else
            Finish(Outcome.Failed, null, "the migration coordinator stopped without a verdict (a bug in the simulation: see the run's errors)", left: false, sourceLost: true);
    }

    /// <summary>The source copy runs on: log-dirty off, resumed if it was paused.</summary>
    private void CleanUpSource()
    {
        setup.Iommu.Tell(new DisableLogDirty(setup.Domain.Name), Self);
        ResumeSource();
    }

    private void ResumeSource()
    {
        if (pauseTicks > 0 && sourceCrash is null) setup.DomainActor.Tell(new ResumeDomain(), Self);
    }

    /// <summary>Why the source copy crashed during the handover, or null.</summary>
    private string? sourceCrash;

    private long PausedFor() => pauseTicks > 0 ? Now - pauseTicks : 0;

    private string HostName(int host) => world.Scenario.Hosts[host].Name;

    /// <summary>Renews the destination's lease on its reservation until <paramref name="endTicks"/> (the pass on the wire is sent by then) and an answer timeout more.</summary>
    private void KeepReservation(long endTicks)
    {
        leasedUntilTicks = endTicks + AnswerTimeout.Ticks;
        SendToDestination(new KeepReservation(setup.Index, leasedUntilTicks - Now));
    }

    private bool TryWaive(Refusal refusal)
    {
        if (!waiverLeft || !refusal.Waivable) return false;
        UseWaiver(refusal);
        return true;
    }

    private void UseWaiver(Refusal refusal)
    {
        waiverLeft = false;
        if (Journaling)
        {
            PersistTagged(new MigrationRefused
            {
                Migration = setup.Index, Domain = setup.Domain.Name, RefusedBy = RefuserNames.Of(refusal.By), Rule = refusal.Rule, Error = refusal.Error,
                Reason = refusal.Reason, Waived = true,
            }, tags, _ => { });
        }
    }

    /// <summary>The migration's connection leaves the links (its share goes back to the others): its last pass is through, or the migration ends without one.</summary>
    private void CloseConnection()
    {
        if (!connected) return;
        connected = false;
        world.Links[setup.FromHost].Tell(new CancelStream(setup.Index), Self);
    }

    private void SendToDestination(object message) => world.SendBetweenHosts(setup.FromHost, setup.ToHost, setup.Destination, message, Self, Now);

    /// <param name="refusal">What refused the migration (already recorded by whoever refused it), or null.</param>
    private void Finish(Outcome outcome, Refusal? refusal, string reason, bool left, long downtimeTicks = 0, bool sourceLost = false, DeviceRefusal? replug = null)
    {
        finished = true;
        finalPagesWaiting?.Dispose();
        finalPagesWaiting = null;
        if (sourceCrash is not null)
        {
            // Left: the destination's copy runs. Not left: no copy runs at all, whatever the handover said.
            if (!left) outcome = Outcome.Failed;
            reason = (reason.Length > 0 ? reason + "; " : "") + (left
                ? $"the source copy crashed after its final copy was sent ({sourceCrash})"
                : $"the source copy crashed during the handover ({sourceCrash}): no copy of the domain runs");
        }
        if (!sourceLost) Timers.CancelAll();
        CloseConnection();
        if (outcome == Outcome.Vetoed && world.Options.Needless.Contains(setup.Index)) outcome = Outcome.NeedlessVeto;
        var result = new MigrationResult
        {
            Index = setup.Index, Domain = setup.Domain.Name, From = world.Scenario.Hosts[setup.FromHost].Name, To = world.Scenario.Hosts[setup.ToHost].Name,
            Outcome = outcome, Refusal = refusal, Reason = reason, Replug = replug, Passes = passes, PagesSent = pagesSentTotal, StalePages = left ? stalePages : 0,
            DmaFaults = oracle?.DmaFaults ?? 0, DowntimeTicks = downtimeTicks, TotalTicks = Now - startTicks, StartTicks = startTicks, EndTicks = Now,
            MeanRateBytesPerSecond = wireTicks > 0 ? wireBytes * (double)TimeSpan.TicksPerSecond / wireTicks : 0,
            MinRateBytesPerSecond = double.IsPositiveInfinity(minPassRate) ? 0 : minPassRate,
            IommuCalls = oracle?.IommuCallsAt(Now) ?? 0, IommuFailures = oracle?.IommuFailures ?? 0, IommuDisagreements = oracle?.IommuDisagreements ?? 0,
            DomainCrashed = oracle?.DomainCrashed ?? false,
            CpuSpunTicks = oracle?.FlushCostAt(Now).CpuSpun ?? 0, VcpusBlockedTicks = oracle?.FlushCostAt(Now).VcpusBlocked ?? 0,
            DevicesBroken = oracle?.DevicesBroken ?? 0, SecurityViolations = oracle?.SecurityViolations ?? 0, FirstViolation = oracle?.FirstViolation ?? "",
            DevicesStalled = oracle?.DevicesStalled ?? 0,
        };
        if (Journaling) PersistTagged(Reports.Timeline.Ended(result, setup.FromHost, setup.ToHost), tags, _ => { });
        world.Record(result);
        MigrationOracleRegistry.Of(Context.System).Close(setup.Index);
        if (sourceLost) return;
        Context.Parent.Tell(new MigrationFinished(setup.Index, setup.Domain.Name, left, unplugged), Self);
        Context.Stop(Self);
    }
}
