using Migration.Xen;

namespace Migration.Simulation.Reports;

/// <summary>
/// One refusal made during a run, at boot or later, by the hypervisor or a toolstack: one entry of
/// the report's <c>refusals</c> list.
/// </summary>
/// <param name="Host">The host whose hypervisor or toolstack refused (by index).</param>
/// <param name="HostName">That host's name.</param>
/// <param name="Domain">The domain concerned, or null when the refusal is about a device alone.</param>
/// <param name="Device">The device's BDF, or null when the refusal is about the domain alone.</param>
/// <param name="Migration">The migration (by index) it ended or touched, or null.</param>
public sealed record RefusalRecord(long Ticks, int Host, string HostName, string? Domain, string? Device, int? Migration, Refusal Refusal)
{
    public double TimeMs => Ticks / (double)TimeSpan.TicksPerMillisecond;
}
