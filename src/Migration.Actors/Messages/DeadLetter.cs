namespace Migration.Actors;

/// <summary>A message that reached no handler, published on the event stream with the reason.</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient, string Reason)
{
    public override string ToString() =>
        $"dead letter: {Message.GetType().Name} from {Sender.Path} to {Recipient.Path}: {Reason}";
}
