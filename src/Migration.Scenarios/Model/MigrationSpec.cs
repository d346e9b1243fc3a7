namespace Migration.Scenarios.Model;

/// <summary>A live migration the operator starts: the domain, from wherever it runs then, to a host.</summary>
public sealed record MigrationSpec
{
    public required string Domain { get; init; }

    public required string To { get; init; }

    /// <summary>Virtual time at which the operator asks.</summary>
    public required TimeSpan At { get; init; }

    /// <summary>Hot-unplug passthrough devices before migrating and plug equivalent ones on the destination.</summary>
    public bool UnplugReplug { get; init; }

    /// <summary>
    /// The domain shuts down as soon as it runs on the destination (its CPUs and link are free from
    /// then on), as SimGrid's migration benchmark destroys each VM once it has moved.
    /// </summary>
    public bool ShutdownAfter { get; init; }
}
