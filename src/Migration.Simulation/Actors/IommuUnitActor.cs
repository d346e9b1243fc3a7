using Migration.Actors;
using Migration.Persistence;
using Migration.Simulation.Events;
using Migration.Simulation.Messages;
using Migration.Simulation.World;
using Migration.Xen;
using Migration.Xen.Dma;
using Migration.Xen.Policies;

namespace Migration.Simulation.Actors;

/// <summary>
/// A host's IOMMU: one context per domain (shared or separate page tables, the devices assigned), the
/// veto point for global log-dirty and for device assignment under the run's policy, and the
/// translation of every DMA transaction. With shared tables, log-dirty write-protects the entries the
/// IOMMU walks, so DMA writes fault; with separate tables they succeed and set no dirty bit.
/// </summary>
public sealed class IommuUnitActor : RefusingActor
{
    private readonly int host;
    private readonly Dictionary<string, DomainContext> contexts = new();
    private SimulationWorld world = null!;
    private MigrationOracleRegistry oracles = null!;

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
            case UnregisterDomain command: contexts.Remove(command.Domain); return true;
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
        if (Journaling) PersistTagged(new LogDirtyEnabled { Domain = command.Domain, WaivedRule = refusal?.Rule ?? "" }, tags, _ => { });
        Sender.Tell(new LogDirtyEnabledReply(command.Domain, refusal), Self);
    }

    private void OnDisableLogDirty(DisableLogDirty command)
    {
        if (!contexts.TryGetValue(command.Domain, out var context) || !context.Facts.GlobalLogDirty) return;
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
        context.Facts = context.Facts with { Devices = [.. context.Facts.Devices, command.Device] };
        if (Journaling) PersistTagged(new DeviceAssigned { Domain = command.Domain, Bdf = command.Device.Bdf, WaivedRule = refusal?.Rule ?? "" }, tags, _ => { });
        Sender.Tell(new DeviceAssignedReply(command.Domain, command.Device.Bdf, refusal), Self);
    }

    private void OnDeassign(DeassignDevice command)
    {
        var context = ContextOf(command.Domain);
        context.Facts = context.Facts with { Devices = context.Facts.Devices.Where(d => d.Bdf != command.Bdf).ToArray() };
        if (Journaling) PersistTagged(new DeviceDeassigned { Domain = command.Domain, Bdf = command.Bdf }, world.TagsOf(command.Domain), _ => { });
        Sender.Tell(new DeviceDeassignedReply(command.Domain, command.Bdf), Self);
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
        oracles.Find(burst.Migration)?.RecordDmaFaults(faults);
        if (written > 0) context.Domain.Tell(new ApplyDmaWrites(burst.Migration, burst.Transactions), Self);
        if (burst.Transactions.Count > 0 && Journaling)
        {
            PersistTagged(new DmaTranslated { Domain = burst.Domain, Bdf = burst.Bdf, Reads = reads, Writes = written, Faults = faults },
                world.TagsOf(burst.Domain), _ => { });
        }
        Sender.Tell(new DmaTranslatedReply(burst.Migration, faults, written > 0 ? burst.Transactions : DmaSlice.Empty, burst.ReplyTo), Self);
    }

    private DomainContext ContextOf(string domain) =>
        contexts.TryGetValue(domain, out var context)
            ? context
            : throw new InvalidOperationException($"IOMMU of host {host} has no context for domain {domain}");
}
