using Migration.Xen;

namespace Migration.Simulation.Reports;

/// <summary>A device the hypervisor or a toolstack would not assign, and why.</summary>
public sealed record DeviceRefusal(string Device, Refusal Refusal);
