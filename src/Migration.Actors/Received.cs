namespace Migration.Actors;

/// <summary>A message an <see cref="Inbox"/> received, with its virtual arrival time.</summary>
public sealed record Received(TimeSpan At, object Message, IActorRef Sender);
