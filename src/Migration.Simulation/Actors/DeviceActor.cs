using Migration.Actors;
using Migration.Persistence;
using Migration.Scenarios.Model;
using Migration.Simulation.Messages;
using Migration.Xen;
using Migration.Xen.Dma;

namespace Migration.Simulation.Actors;

/// <summary>
/// A PCI function. While assigned, it DMAs into a buffer ring of its domain at its rate; what it did
/// over an interval is computed when someone needs it (a pass boundary) and goes through the IommuUnit.
/// With bus-master enable clear it cannot DMA at all. An emulator that reports dirty pages passes on
/// the pages its writes reached.
/// </summary>
public sealed class DeviceActor : ReceivePersistentActor
{
    private readonly DeviceSpec spec;
    private readonly int host;
    private readonly IActorRef iommu;
    private readonly ulong seed;
    private DmaStream? stream;
    private string? domain;

    // The stream covers [attachedTicks, detachedTicks): a device hot-plugged or hot-unplugged during a
    // migration did DMA only while assigned, and what it did before a hot-unplug is still flushed once.
    private long attachedTicks;
    private long detachedTicks = long.MaxValue;

    // The flush in progress: bursts still at the IOMMU, and what came back so far.
    private int burstsPending;
    private long flushFaults;
    private readonly SortedSet<long> flushWritten = new();

    /// <param name="seedKey">
    /// The key of the label <c>device/HOST/BDF</c> (<see cref="SplitMix.LabelKey"/>), computed once per
    /// scenario: with <paramref name="runSeed"/> it gives the device's own seed.
    /// </param>
    public DeviceActor(DeviceSpec spec, int host, IActorRef iommu, ulong runSeed, ulong seedKey)
    {
        this.spec = spec;
        this.host = host;
        this.iommu = iommu;
        seed = SplitMix.DeriveFromKey(runSeed, seedKey);
    }

    // A switch rather than Command<T> registrations, as for the host's other standing actors.
    protected override bool OnCommand(object message)
    {
        switch (message)
        {
            case AttachToDomain command: OnAttach(command); return true;
            case DetachFromDomain: OnDetach(); return true;
            case FlushDma command: OnFlush(command); return true;
            case DmaTranslatedReply reply: OnTranslated(reply); return true;
            default: return false;
        }
    }

    public override string PersistenceId => $"dev-{host}-{spec.Bdf.Replace(':', '.')}";

    /// <summary>
    /// The device leaves its domain: it does no more DMA, but what it did until now stays to be
    /// flushed by a migration that is reading it (the next flush clears it).
    /// </summary>
    private void OnDetach() => detachedTicks = Math.Min(detachedTicks, Context.Now.Ticks);

    private void OnAttach(AttachToDomain command)
    {
        domain = command.Domain;
        attachedTicks = Context.Now.Ticks;
        detachedTicks = long.MaxValue;
        var bufferPages = (int)Math.Min(spec.BufferPages, command.DomainPages);
        var start = (long)(SplitMix.At(seed, (ulong)command.DomainPages) % (ulong)(command.DomainPages - bufferPages + 1));
        var pattern = spec.BusMaster ? spec.Dma : DmaPattern.None;
        stream = new DmaStream(SplitMix.Derive(seed, command.Domain), pattern, spec.DmaPerSecond, spec.WriteShare, start, bufferPages);
    }

    /// <summary>
    /// Transactions per burst to the IOMMU. A burst carries a slice of the device's stream, not a list
    /// of transactions, so its size does not grow with the pass; a long pass at a high rate still goes
    /// as several bursts, so that no one delivery's work does.
    /// </summary>
    public const int BurstTransactionsMax = 1 << 20;

    private void OnFlush(FlushDma command)
    {
        var now = Math.Min(Context.Now.Ticks, detachedTicks);
        var from = Math.Max(command.FromTicks, attachedTicks);
        var detached = detachedTicks != long.MaxValue;
        if (stream is null || domain is null || from >= now || stream.TransactionsBefore(now) == stream.TransactionsBefore(from))
        {
            if (detached) (stream, domain) = (null, null);
            command.ReplyTo.Tell(new DmaFlushed(command.Migration, spec.Bdf, 0, spec.EmulatorReportsDirty ? [] : null), Self);
            return;
        }
        flushFaults = 0;
        flushWritten.Clear();
        burstsPending = 0;
        while (from < now)
        {
            var transactions = stream.Slice(from, now, BurstTransactionsMax, out var next);
            // Each slice ends later than it starts unless a million transactions share one tick (100 ns).
            from = next > from ? next : now;
            if (transactions.Count == 0) continue;
            burstsPending++;
            iommu.Tell(new DmaBurst(domain, spec.Bdf, command.Migration, transactions, command.ReplyTo), Self);
        }
        // A detached device's last DMA is on its way: nothing more is left to flush.
        if (detached) (stream, domain) = (null, null);
    }

    private void OnTranslated(DmaTranslatedReply reply)
    {
        flushFaults += reply.Faults;
        if (spec.EmulatorReportsDirty)
        {
            // The pages written, once each: what an emulator would report (bounded by the device's buffer).
            foreach (var transaction in reply.Applied)
            {
                if (transaction.Write) flushWritten.Add(transaction.Page);
            }
        }
        if (--burstsPending > 0) return;
        var reported = spec.EmulatorReportsDirty ? flushWritten.ToArray() : null;
        reply.ReplyTo.Tell(new DmaFlushed(reply.Migration, spec.Bdf, flushFaults, reported), Self);
    }
}
