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
/// domain's host for mem_sharing or mem_paging).
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

    public override string PersistenceId => "operator";

    protected override bool OnCommand(object message)
    {
        if (message is not Due due) return false;
        OnDue(due);
        return true;
    }

    protected override void PreStart()
    {
        base.PreStart();
        world = SimulationWorld.Of(Context.System);
        var scenario = world.Scenario;
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
        var host = world.Census.HostOf(spec.Domain);
        if (host is null || world.Faults.IsCrashed(host.Value, now))
        {
            var reason = host is null
                ? $"domain {spec.Domain} is not running anywhere"
                : $"host {world.Scenario.Hosts[host.Value].Name} of domain {spec.Domain} is down";
            world.Record(MigrationResult.NotStarted(index, spec.Domain, host is { } h ? world.Scenario.Hosts[h].Name : "", spec.To, reason, now));
            return;
        }
        world.Toolstacks[host.Value].Tell(new MigrateDomain(index, spec), Self);
    }

    private void StartEvent(int index)
    {
        var spec = world.Scenario.Events[index];
        var now = Context.Now.Ticks;
        int host;
        if (spec.IsDeviceEvent)
        {
            host = world.HostIndexOf(spec.Host!);
        }
        else if (world.Census.HostOf(spec.Domain!) is { } runs)
        {
            host = runs;
        }
        else
        {
            // Validation turns away what the scenario's own faults make certain; this is what the run made so.
            var start = world.HostIndexOf(world.Scenario.Domains.First(d => d.Name == spec.Domain).Host);
            Refuse(start, spec, "DOMAIN_NOT_ON_HOST", $"domain {spec.Domain} is not running anywhere");
            return;
        }
        if (world.Faults.IsCrashed(host, now))
        {
            Refuse(host, spec, "HOST_DOWN", $"host {world.Scenario.Hosts[host].Name} is down");
            return;
        }
        world.Toolstacks[host].Tell(new ApplyEvent(index, spec), Self);
    }

    /// <summary>Recorded on the host the event was for: no toolstack could be asked, so this says why it did not happen.</summary>
    private void Refuse(int host, EventSpec spec, string rule, string reason)
    {
        var kind = world.Options.Toolstack ?? world.Scenario.Hosts[host].Toolstack;
        Refused(world, host, spec.Domain, spec.Device, null,
            ToolstackErrors.Refuse(Refuser.Toolstack, kind, rule, $"{EventKindNames.Of(spec.Kind)} did not happen: {reason}", waivable: false));
    }
}
