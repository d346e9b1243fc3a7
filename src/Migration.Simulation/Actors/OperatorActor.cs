using Migration.Actors;
using Migration.Simulation.Messages;
using Migration.Simulation.Reports;
using Migration.Simulation.World;

namespace Migration.Simulation.Actors;

/// <summary>
/// The person at the keyboard: at each scheduled time, asks the toolstack of the host where the
/// domain runs then to migrate it (as <c>xl migrate</c> would be typed there).
/// </summary>
/// <remarks>
/// Only the next migration due waits in the event queue: the operator schedules the one after it
/// when it fires (in time order, ties in scenario order), so a scenario's hundreds of migrations
/// do not sit in the queue for the whole run, making every delivery's queue work grow with them.
/// </remarks>
public sealed class OperatorActor : ReceiveActor
{
    private sealed record Due(int Index);

    private int[] order = [];   // migration indexes by start time
    private int next;           // position in order of the next migration to schedule

    public OperatorActor()
    {
        Receive<Due>(OnDue);
    }

    protected override void PreStart()
    {
        var migrations = SimulationWorld.Of(Context.System).Scenario.Migrations;
        // A stable sort: migrations due at the same time start in scenario order.
        order = Enumerable.Range(0, migrations.Count).OrderBy(i => migrations[i].At).ToArray();
        ScheduleNext();
    }

    private void ScheduleNext()
    {
        if (next == order.Length) return;
        var index = order[next++];
        var at = SimulationWorld.Of(Context.System).Scenario.Migrations[index].At;
        Context.ScheduleTellOnce(at > Context.Now ? at - Context.Now : TimeSpan.Zero, Self, new Due(index), Self);
    }

    private void OnDue(Due due)
    {
        ScheduleNext();
        var world = SimulationWorld.Of(Context.System);
        var spec = world.Scenario.Migrations[due.Index];
        var now = Context.Now.Ticks;
        var host = world.Census.HostOf(spec.Domain);
        if (host is null || world.Faults.IsCrashed(host.Value, now))
        {
            var reason = host is null
                ? $"domain {spec.Domain} is not running anywhere"
                : $"host {world.Scenario.Hosts[host.Value].Name} of domain {spec.Domain} is down";
            world.Record(MigrationResult.NotStarted(due.Index, spec.Domain, host is { } h ? world.Scenario.Hosts[h].Name : "", spec.To, reason, now));
            return;
        }
        world.Toolstacks[host.Value].Tell(new MigrateDomain(due.Index, spec), Self);
    }
}
