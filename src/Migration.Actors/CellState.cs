namespace Migration.Actors;

internal enum CellState : byte
{
    /// <summary>Created; its Create event has not been delivered yet. Messages wait in the held mailbox.</summary>
    Creating,

    Running,

    /// <summary>Failed, waiting for its supervisor's decision. Messages wait in the held mailbox.</summary>
    Suspended,

    /// <summary>Stopped for good: messages become dead letters.</summary>
    Terminated,
}
