using Migration.Actors;
using Migration.Simulation.Messages;
using Migration.Simulation.Reports;
using Migration.Simulation.World;

namespace Migration.Simulation.Actors;

/// <summary>
/// The person at the keyboard: at each scheduled time, asks the toolstack of the host where the
/// domain runs then to migrate it (as <c>xl migrate</c> would be typed there).
/// </summary>
public sealed class OperatorActor : ReceiveActor
{
    private sealed record Due(int Index);

    public OperatorActor()
    {
        Receive<Due>(OnDue);
    }

    protected override void PreStart()
    {
        var migrations = SimulationWorld.Of(Context.System).Scenario.Migrations;
        for (var i = 0; i < migrations.Count; i++) Context.ScheduleTellOnce(migrations[i].At, Self, new Due(i), Self);
    }

    private void OnDue(Due due)
    {
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
