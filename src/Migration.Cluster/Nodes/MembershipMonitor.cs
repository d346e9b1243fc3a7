using Akka.Actor;
using Akka.Cluster;
using Migration.Cluster.Configuration;
using Migration.Cluster.Wire;
using AkkaMember = Akka.Cluster.Member;

namespace Migration.Cluster.Nodes;

/// <summary>
/// A node's view of the cluster for people: every membership and reachability change it sees,
/// written to its log as it happens and kept (the latest <see cref="EventsKept"/>) for
/// <c>migration cluster status</c>, which asks it with a <see cref="StatusRequest"/>.
/// </summary>
/// <remarks>Times here are the wall clock: this watches the processes, not the simulation.</remarks>
public sealed class MembershipMonitor : ReceiveActor
{
    public const string Name = "membership";

    /// <summary>How many membership events a node keeps for `cluster status`.</summary>
    public const int EventsKept = 200;

    private readonly ClusterConfig settings;
    private readonly string self;
    private readonly TextWriter log;
    private readonly Akka.Cluster.Cluster cluster;
    private readonly LinkedList<MembershipEvent> events = new();

    public MembershipMonitor(ClusterConfig settings, string self, TextWriter log)
    {
        this.settings = settings;
        this.self = self;
        this.log = log;
        cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.IMemberEvent>(OnMemberEvent);
        Receive<ClusterEvent.IReachabilityEvent>(OnReachabilityEvent);
        Receive<StatusRequest>(_ => Sender.Tell(Status()));
    }

    public static Props Props(ClusterConfig settings, string self, TextWriter log) =>
        Akka.Actor.Props.Create(() => new MembershipMonitor(settings, self, log));

    protected override void PreStart() =>
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => cluster.Unsubscribe(Self);

    private void OnMemberEvent(ClusterEvent.IMemberEvent e)
    {
        var kind = e switch
        {
            ClusterEvent.MemberJoined => "joined",
            ClusterEvent.MemberUp => "up",
            ClusterEvent.MemberWeaklyUp => "weakly-up",
            ClusterEvent.MemberLeft => "left",
            ClusterEvent.MemberExited => "exited",
            ClusterEvent.MemberDowned => "downed",
            ClusterEvent.MemberRemoved => "removed",
            _ => e.GetType().Name,
        };
        Record(e.Member, kind);
    }

    private void OnReachabilityEvent(ClusterEvent.IReachabilityEvent e)
    {
        switch (e)
        {
            case ClusterEvent.UnreachableMember unreachable: Record(unreachable.Member, "unreachable"); break;
            case ClusterEvent.ReachableMember reachable: Record(reachable.Member, "reachable"); break;
        }
    }

    private void Record(AkkaMember member, string kind)
    {
        var name = NodeName(member.Address);
        var e = new MembershipEvent { UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Address = member.Address.ToString(), Node = name, Kind = kind };
        events.AddLast(e);
        if (events.Count > EventsKept) events.RemoveFirst();
        log.WriteLine($"node {self}: member {(name.Length > 0 ? name : member.Address.ToString())} {kind}");
    }

    private StatusReply Status()
    {
        var state = cluster.State;
        var reply = new StatusReply { Node = self };
        foreach (var member in state.Members.OrderBy(m => m.Address.Port))
        {
            var wire = new Wire.Member
            {
                Address = member.Address.ToString(), Node = NodeName(member.Address), Status = StatusName(member.Status),
                Reachable = !state.Unreachable.Contains(member),
            };
            wire.Roles.AddRange(member.Roles.Order(StringComparer.Ordinal));
            reply.Members.Add(wire);
        }
        reply.Events.AddRange(events);
        return reply;
    }

    private string NodeName(Address address) => settings.NodeAt(address.Host, address.Port)?.Name ?? "";

    public static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.Joining => "joining",
        MemberStatus.WeaklyUp => "weakly-up",
        MemberStatus.Up => "up",
        MemberStatus.Leaving => "leaving",
        MemberStatus.Exiting => "exiting",
        MemberStatus.Down => "down",
        MemberStatus.Removed => "removed",
        _ => status.ToString().ToLowerInvariant(),
    };
}
