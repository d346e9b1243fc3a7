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

    public DeviceActor(DeviceSpec spec, int host, IActorRef iommu, ulong runSeed)
    {
        this.spec = spec;
        this.host = host;
        this.iommu = iommu;
        seed = SplitMix.Derive(runSeed, $"device/{host}/{spec.Bdf}");
        Command<AttachToDomain>(OnAttach);
        Command<DetachFromDomain>(_ => (stream, domain) = (null, null));
        Command<FlushDma>(OnFlush);
        Command<DmaTranslatedReply>(OnTranslated);
    }

    public override string PersistenceId => $"dev-{host}-{spec.Bdf.Replace(':', '.')}";

    private void OnAttach(AttachToDomain command)
    {
        domain = command.Domain;
        var bufferPages = (int)Math.Min(spec.BufferPages, command.DomainPages);
        var start = (long)(SplitMix.At(seed, (ulong)command.DomainPages) % (ulong)(command.DomainPages - bufferPages + 1));
        var pattern = spec.BusMaster ? spec.Dma : DmaPattern.None;
        stream = new DmaStream(SplitMix.Derive(seed, command.Domain), pattern, spec.DmaPerSecond, spec.WriteShare, start, bufferPages);
    }

    private void OnFlush(FlushDma command)
    {
        var transactions = new List<DmaTransaction>();
        stream?.Emit(command.FromTicks, Context.Now.Ticks, transactions);
        if (domain is null || transactions.Count == 0)
        {
            command.ReplyTo.Tell(new DmaFlushed(command.Migration, spec.Bdf, 0, spec.EmulatorReportsDirty ? [] : null), Self);
            return;
        }
        iommu.Tell(new DmaBurst(domain, spec.Bdf, command.Migration, transactions, command.ReplyTo), Self);
    }

    private void OnTranslated(DmaTranslatedReply reply)
    {
        var reported = spec.EmulatorReportsDirty ? reply.WrittenPages : null;
        reply.ReplyTo.Tell(new DmaFlushed(reply.Migration, spec.Bdf, reply.Faults, reported), Self);
    }
}
