namespace Migration.Simulation.Reports;

/// <summary>
/// What a host's oracle found unsafe outside any one migration: one entry of the report's
/// <c>findings</c> list: <c>stale-view</c>, an altp2m view pointing at a frame its domain's host P2M
/// no longer has (seeds/003); <c>stale-device-tlb</c>, a device assigned while its Device-TLB still
/// holds the domain it left (a deferred flush, seeds/001).
/// </summary>
/// <param name="Host">The host whose hypervisor state it is (by index).</param>
/// <param name="HostName">That host's name.</param>
/// <param name="Domain">The domain whose view it is.</param>
/// <param name="Check">The check that found it (<see cref="StaleView"/>).</param>
/// <param name="Description">What it found, in a sentence.</param>
public sealed record OracleFinding(long Ticks, int Host, string HostName, string Domain, string Check, string Description)
{
    /// <summary>The check: no altp2m view points at a frame its domain's host P2M no longer has.</summary>
    public const string StaleView = "stale-view";

    /// <summary>The check: no device is given to a domain while its Device-TLB still holds the translations of the domain it left (a deferred flush, seeds/001).</summary>
    public const string StaleDeviceTlb = "stale-device-tlb";

    public double TimeMs => Ticks / (double)TimeSpan.TicksPerMillisecond;
}
