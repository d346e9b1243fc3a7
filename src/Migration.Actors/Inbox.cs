using Migration.Actors.Dispatch;

namespace Migration.Actors;

/// <summary>
/// A recipient outside any actor that records what it receives, with the virtual time of arrival:
/// for tests, and for drivers that collect results. Holds at most <see cref="CapacityMax"/>
/// messages; past that they become dead letters.
/// </summary>
public sealed class Inbox : InternalActorRef
{
    private readonly List<Received> received = new();

    private Inbox(ActorSystem system, ActorPath path, int capacityMax)
        : base(system, path)
    {
        CapacityMax = capacityMax;
    }

    public int CapacityMax { get; }

    public IReadOnlyList<Received> Received => received;

    /// <summary>The messages alone, in arrival order.</summary>
    public IEnumerable<object> Messages => received.Select(r => r.Message);

    public static Inbox Create(ActorSystem system, string name, int host = 0, int capacityMax = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(system);
        ActorPath.ValidateName(name);
        if (host < 0 || host >= system.Settings.HostCount)
            throw new ArgumentOutOfRangeException(nameof(host), host, $"the system has hosts 0 to {system.Settings.HostCount - 1}");
        if (capacityMax < 1) throw new ArgumentOutOfRangeException(nameof(capacityMax), capacityMax, "must be positive");
        return new Inbox(system, ActorPath.Root(system.Name, host).Child("inbox").Child(name), capacityMax);
    }

    public IEnumerable<T> OfType<T>() => received.Select(r => r.Message).OfType<T>();

    public void Clear() => received.Clear();

    internal override void Deliver(in Envelope envelope, HostScheduler scheduler)
    {
        if (envelope.Kind == EnvelopeKind.System) return;
        if (received.Count >= CapacityMax)
        {
            System.PublishDeadLetter(new DeadLetter(envelope.Message, envelope.Sender ?? System.DeadLettersOn(Host), this, $"inbox full ({CapacityMax} messages)"));
            return;
        }
        received.Add(new Received(envelope.Time, envelope.Message, envelope.Sender ?? System.DeadLettersOn(Host)));
    }
}
