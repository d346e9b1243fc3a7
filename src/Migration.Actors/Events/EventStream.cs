namespace Migration.Actors.Events;

/// <summary>
/// System-wide publish/subscribe for dead letters, errors and anything else an actor publishes.
/// Subscribers receive events as ordinary messages, in subscription order, so publishing stays
/// deterministic. Subscriptions are changed from the thread that drives the system.
/// </summary>
public sealed class EventStream
{
    private readonly List<(IActorRef Subscriber, Type Channel)> subscriptions = new();

    /// <summary>Delivers every published event assignable to <paramref name="channel"/> to <paramref name="subscriber"/>.</summary>
    public void Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        if (!subscriptions.Contains((subscriber, channel))) subscriptions.Add((subscriber, channel));
    }

    /// <summary>Removes <paramref name="subscriber"/> from <paramref name="channel"/>, or from every channel when null.</summary>
    public void Unsubscribe(IActorRef subscriber, Type? channel = null) =>
        subscriptions.RemoveAll(s => ReferenceEquals(s.Subscriber, subscriber) && (channel is null || s.Channel == channel));

    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var (subscriber, channel) in subscriptions)
        {
            if (channel.IsInstanceOfType(@event)) subscriber.Tell(@event, null);
        }
    }
}
