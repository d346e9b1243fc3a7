namespace Migration.Actors.Dispatch;

/// <summary>How a recipient treats a scheduled delivery.</summary>
public enum EnvelopeKind : byte
{
    /// <summary>An ordinary message, handled by the actor's current behaviour in mailbox order.</summary>
    User = 0,

    /// <summary>A lifecycle or supervision message, handled by the engine even while the actor is suspended.</summary>
    System = 1,

    /// <summary>A timer firing; becomes a user message if the timer is still current.</summary>
    Timer = 2,
}
