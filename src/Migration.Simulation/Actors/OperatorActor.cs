using Migration.Actors;
using Migration.Scenarios.Model;
using Migration.Simulation.Messages;
using Migration.Simulation.Reports;
using Migration.Simulation.World;
using Migration.Xen;
using Migration.Xen.Toolstacks;

namespace Migration.Simulation.Actors;

/// <summary>
/// The person at the keyboard, and the scenario's events: at each scheduled time, asks the toolstack
/// of the host where the domain runs then to migrate it (as <c>xl migrate</c> would be typed there),
/// or hands an event to the toolstack that carries it out (the device's host for a device event, the
/// domain's host for mem_sharing or mem_paging). Where a domain runs it reads from its directory,
/// which the toolstacks keep current by message (<see cref="DomainMoved"/>), as a XAPI pool master's
/// database is: it knows nothing of a host the others do not tell it, beyond which hosts are down.
/// </summary>
/// <remarks>
/// Only the next migration or event due waits in the event queue: the operator schedules the one
/// after it when it fires (in time order, ties in scenario order, migrations before events), so a
/// scenario's hundreds of migrations do not sit in the queue for the whole run, making every
/// delivery's queue work grow with them.
/// </remarks>
public sealed class OperatorActor : RefusingActor
{
    private sealed record Due(int Position);

    // Migrations are 0..M-1, events M..M+E-1, by start time.
    private int[] order = [];
    private int next;           // position in order of the next one to schedule
    private SimulationWorld world = null!;
    private readonly Dictionary<string, int> directory = new(StringComparer.Ordinal);

    public override string PersistenceId => "operator";

    protected override bool OnCommand(object message)
    {
        switch (message)
        {
            case Due due: OnDue(due); return true;
            case DomainMoved moved: directory[moved.Domain] = moved.Host; return true;
            default: return false;
        }
    }

    protected override void PreStart()
    {
        base.PreStart();
        world = SimulationWorld.Of(Context.System);
        var scenario = world.Scenario;
        foreach (var domain in scenario.Domains) directory[domain.Name] = world.HostIndexOf(domain.Host);
        // A stable sort: ties keep scenario order, migrations before events.
        order = Enumerable.Range(0, scenario.Migrations.Count + scenario.Events.Count).OrderBy(AtOf).ToArray();
        ScheduleNext();
    }

    private TimeSpan AtOf(int item) =>
        item < world.Scenario.Migrations.Count ? world.Scenario.Migrations[item].At : world.Scenario.Events[item - world.Scenario.Migrations.Count].At;

    private void ScheduleNext()
    {
        if (next == order.Length) return;
        var item = order[next++];
        var at = AtOf(item);
        Context.ScheduleTellOnce(at > Context.Now ? at - Context.Now : TimeSpan.Zero, Self, new Due(item), Self);
    }

    private void OnDue(Due due)
    {
        ScheduleNext();
        var migrations = world.Scenario.Migrations.Count;
        if (due.Position < migrations) StartMigration(due.Position);
        else StartEvent(due.Position - migrations);
    }

    private void StartMigration(int index)
    {
        var spec = world.Scenario.Migrations[index];
        var now = Context.Now.Ticks;
        var host = directory[spec.Domain];
        if (world.Faults.IsCrashed(host, now))
        {
            var reason = $"host {world.Scenario.Hosts[host].Name} of domain {spec.Domain} is down";
            world.Record(MigrationResult.NotStarted(index, spec.Domain, world.Scenario.Hosts[host].Name, spec.To, reason, now));
            return;
        }
        world.SendBetweenHosts(0, host, world.Toolstacks[host], new MigrateDomain(index, spec), Self, now);
    }

    private void StartEvent(int index)
    {
        var spec = world.Scenario.Events[index];
        var now = Context.Now.Ticks;
        var host = spec.IsHostEvent ? world.HostIndexOf(spec.Host!) : directory[spec.Domain!];
        if (world.Faults.IsCrashed(host, now))
        {
            // Validation turns away what the scenario's own faults make certain; this is what the run made so.
            Refuse(host, spec, "HOST_DOWN", $"host {world.Scenario.Hosts[host].Name} is down");
            return;
        }
        world.SendBetweenHosts(0, host, world.Toolstacks[host], new ApplyEvent(index, spec), Self, now);
    }

    /// <summary>Recorded on the host the event was for: no toolstack could be asked, so this says why it did not happen.</summary>
    private void Refuse(int host, EventSpec spec, string rule, string reason)
    {
        var kind = world.Options.Toolstack ?? world.Scenario.Hosts[host].Toolstack;
        Refused(world, host, spec.Domain, spec.Device, null,
            ToolstackErrors.Refuse(Refuser.Toolstack, kind, rule, $"{EventKindNames.Of(spec.Kind)} did not happen: {reason}", waivable: false));
    }
}
