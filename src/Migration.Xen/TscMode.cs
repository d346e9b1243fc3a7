namespace Migration.Xen;

/// <summary>How the guest uses the TSC, which decides which destinations can take it.</summary>
public enum TscMode
{
    /// <summary>The guest does not rely on an invariant TSC: any destination will do.</summary>
    Default,

    /// <summary>The TSC is emulated by Xen: any destination will do (slower guest, portable TSC).</summary>
    Emulated,

    /// <summary>The guest relies on an invariant native TSC: the destination needs TSC scaling or the same TSC frequency.</summary>
    Invariant,
}
