namespace Migration.Actors.Supervision;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the actor and its state; go on with the next message.</summary>
    Resume,

    /// <summary>Replace the actor with a fresh instance; its mailbox is kept, the failing message is dropped.</summary>
    Restart,

    /// <summary>Stop the actor (and its children).</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, for its own supervisor to decide.</summary>
    Escalate,
}
