using Migration.Persistence;
using Migration.Simulation.Events;
using Migration.Simulation.World;
using Migration.Xen;

namespace Migration.Simulation.Actors;

/// <summary>
/// A persistent actor that can refuse something (the IommuUnit for its hypervisor, a toolstack, a
/// migration coordinator for its source toolstack, the operator): each refusal goes to the report's
/// refusals list and, in a journaled run, to a <see cref="RefusalRecorded"/> row.
/// </summary>
public abstract class RefusingActor : ReceivePersistentActor
{
    /// <param name="host">The host whose hypervisor or toolstack refused.</param>
    /// <param name="migration">The migration the refusal ended or touched, or null.</param>
    protected void Refused(SimulationWorld world, int host, string? domain, string? device, int? migration, Refusal refusal)
    {
        var record = world.RecordRefusal(host, Context.Now.Ticks, domain, device, migration, refusal);
        if (!Journaling) return;
        PersistTagged(new RefusalRecorded
        {
            Host = host, Domain = domain ?? "", Device = device ?? "", Migration = migration ?? -1, RefusedBy = RefuserNames.Of(refusal.By), Rule = refusal.Rule,
            Error = refusal.Error, Reason = refusal.Reason,
        }, world.RefusalTagsOf(record.Domain), _ => { });
    }
}
