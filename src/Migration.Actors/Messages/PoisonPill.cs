namespace Migration.Actors;

/// <summary>Stops the recipient when it reaches the front of its mailbox, after the messages before it.</summary>
public sealed class PoisonPill
{
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }

    public override string ToString() => "PoisonPill";
}
