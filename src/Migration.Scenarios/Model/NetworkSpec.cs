namespace Migration.Scenarios.Model;

/// <summary>How concurrent migration streams share the hosts' links.</summary>
public enum LinkSharing
{
    /// <summary>Max-min fair, as SimGrid's flow model (and, roughly, TCP): a stream's rate changes when another starts or ends.</summary>
    Fair,

    /// <summary>Each stream gets its whole link, whatever else is on it (the model before sharing).</summary>
    None,
}

/// <summary>Each host's link and the network between hosts.</summary>
public sealed record NetworkSpec
{
    /// <summary>Bytes per second each way on a host's link (full duplex), unless the host gives its own. Default 1 Gbit/s (125,000,000 bytes/s).</summary>
    public double BytesPerSecond { get; init; } = 125_000_000;

    /// <summary>One-way latency. Default 100 us.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMicroseconds(100);

    public LinkSharing Sharing { get; init; } = LinkSharing.Fair;

    /// <summary>
    /// Reverse-path traffic (acknowledgements): a stream also takes this share of its rate on the
    /// reverse direction of both links, as SimGrid's <c>network/crosstraffic</c> (0.05). Default 0.
    /// </summary>
    public double ReverseFraction { get; init; }

    /// <summary>
    /// The share of a link's rate that carries the stream's own bytes, the rest going on TCP/IP and
    /// Ethernet headers (SimGrid's LV08 model: 0.97). Default 1.
    /// </summary>
    public double Efficiency { get; init; } = 1;

    /// <summary>What the fabric between hosts carries at most, all streams together (bytes per second); null: no limit beyond the hosts' links.</summary>
    public double? FabricBytesPerSecond { get; init; }
}
