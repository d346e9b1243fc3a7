using Migration.Persistence;
using Migration.Simulation.Events;
using Migration.Simulation.Messages;
using Migration.Simulation.World;
using Migration.Xen.Memory;

namespace Migration.Simulation.Actors;

/// <summary>
/// A domain on one host: owns its memory (vCPU writes, DMA writes, the log-dirty bitmap) and its run
/// state. One actor per copy: a migration creates a new incarnation on the destination that takes the
/// memory over. Timeline events are tagged <c>dom-NAME</c>.
/// </summary>
public sealed class DomainActor : ReceivePersistentActor
{
    private readonly string name;
    private readonly int host;
    private readonly int incarnation;
    private readonly string copyId;
    private readonly GuestMemory memory;
    private readonly bool startPaused;
    private readonly int vcpus;
    private Xen.Memory.SharedCpus? cpus;
    private IReadOnlyList<string> tags = [];
    private SimulationWorld world = null!;
    private MigrationOracleRegistry oracles = null!;

    /// <param name="copyId">Unique among the domain's copies in a run (<c>boot</c>, or <c>m3</c> for migration 3's incoming copy).</param>
    /// <param name="vcpus">The vCPUs it runs on the host's CPUs (the hardware domain's are not counted: 0).</param>
    public DomainActor(string name, int host, int incarnation, string copyId, GuestMemory memory, bool startPaused, int vcpus)
    {
        this.vcpus = vcpus;
        this.copyId = copyId;
        this.name = name;
        this.host = host;
        this.incarnation = incarnation;
        this.memory = memory;
        this.startPaused = startPaused;
    }

    // A switch rather than Command<T> registrations, as for the host's other standing actors: a run
    // has a domain actor per guest copy (over a thousand in datacenter-128), and registered handlers
    // would cost each of them a delegate per message type.
    protected override bool OnCommand(object message)
    {
        switch (message)
        {
            case StartLogDirty: OnStartLogDirty(); return true;
            case StopLogDirty: OnStopLogDirty(); return true;
            case PeekAndClean command: OnPeekAndClean(command); return true;
            case ApplyDmaWrites command: OnApplyDmaWrites(command); return true;
            case PauseDomain: OnPause(); return true;
            case LoseGuestTime command: memory.LoseTime(command.LostBy, Context.Now.Ticks); return true;
            case ResumeDomain: OnResume(); return true;
            case DestroyDomain: OnDestroy(); return true;
            default: return false;
        }
    }

    public override string PersistenceId => $"dom-{name}.{copyId}";

    protected override void PreStart()
    {
        base.PreStart();
        world = SimulationWorld.Of(Context.System);
        oracles = MigrationOracleRegistry.Of(Context.System);
        tags = world.TagsOf(name);
        world.Census.Created(name, host, running: !startPaused);
        cpus = vcpus > 0 ? world.SharedCpusOf(host) : null;
        if (!startPaused) cpus?.Add(Context.Now.Ticks, vcpus);
        if (Journaling)
        {
            PersistTagged(new DomainCreated { Domain = name, Host = host, MemoryPages = memory.PageCount, Incarnation = incarnation, Paused = startPaused },
                tags, _ => { });
        }
    }

    private void OnStartLogDirty()
    {
        memory.EnableLogDirty(Context.Now.Ticks);
        if (Journaling) PersistTagged(new LogDirtyStarted { Domain = name }, tags, _ => { });
    }

    private void OnStopLogDirty()
    {
        if (!memory.LogDirtyEnabled) return;
        memory.DisableLogDirty();
        if (Journaling) PersistTagged(new LogDirtyStopped { Domain = name }, tags, _ => { });
    }

    private void OnPeekAndClean(PeekAndClean command)
    {
        // Only the vCPUs set bits in the bitmap: DMA goes through the IOMMU, not the P2M's dirty logging.
        var pages = memory.PeekAndClean(Context.Now.Ticks);
        var cpuPages = pages.Count;
        if (Journaling) PersistTagged(new DirtyBitmapRead { Domain = name, CpuPages = cpuPages }, tags, _ => { });
        Sender.Tell(new DirtyPagesRead(command.Migration, pages, cpuPages), Self);
    }

    private void OnApplyDmaWrites(ApplyDmaWrites command)
    {
        var oracle = oracles.Find(command.Migration);
        foreach (var transaction in command.Transactions)
        {
            if (!transaction.Write) continue;
            memory.WriteByDma(transaction.Page);
            oracle?.RecordDmaWrite(transaction.Page, transaction.Ticks);
        }
    }

    private void OnPause()
    {
        memory.Pause(Context.Now.Ticks);
        cpus?.Add(Context.Now.Ticks, -vcpus);
        world.Census.SetRunning(name, host, running: false);
        if (Journaling) PersistTagged(new DomainPaused { Domain = name }, tags, _ => { });
    }

    private void OnResume()
    {
        memory.Resume(Context.Now.Ticks);
        cpus?.Add(Context.Now.Ticks, vcpus);
        world.Census.SetRunning(name, host, running: true);
        if (Journaling) PersistTagged(new DomainResumed { Domain = name }, tags, _ => { });
    }

    private void OnDestroy()
    {
        world.Census.Destroyed(name, host);
        if (!memory.Paused) cpus?.Add(Context.Now.Ticks, -vcpus);
        if (Journaling) PersistTagged(new DomainDestroyed { Domain = name }, tags, _ => { });
        Context.Stop(Self);
    }
}
