namespace Migration.Scenarios.Model;

public enum FaultKind
{
    /// <summary>The link between <see cref="FaultSpec.Host"/> and <see cref="FaultSpec.Peer"/> carries nothing from At for Duration.</summary>
    LinkDown,

    /// <summary><see cref="FaultSpec.Host"/> dies at At: its domains with it, and it answers nothing more.</summary>
    HostCrash,
}

/// <summary>A fault injected at a virtual time.</summary>
public sealed record FaultSpec
{
    public required FaultKind Kind { get; init; }

    public required string Host { get; init; }

    /// <summary>The other end of a link (link-down only).</summary>
    public string? Peer { get; init; }

    public required TimeSpan At { get; init; }

    /// <summary>How long a link stays down; null: for the rest of the run.</summary>
    public TimeSpan? Duration { get; init; }
}
