namespace Migration.Xen.Policies;

/// <summary>
/// What the hypervisor and toolstacks know about an assigned device. Its real DMA pattern is not
/// here: nobody but the oracle knows what a device actually does.
/// </summary>
public sealed record DeviceFacts(string Bdf, bool BusMaster, bool DeclaredReadOnly, bool EmulatorReportsDirty, bool Broken = false)
{
    /// <summary>Whether the device could write memory by DMA without anyone being told: bus-master on, not declared read-only, no emulator reporting.</summary>
    public bool CanDirtyUnseen => BusMaster && !DeclaredReadOnly && !EmulatorReportsDirty;
}
