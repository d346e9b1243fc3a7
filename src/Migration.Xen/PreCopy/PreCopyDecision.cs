namespace Migration.Xen.PreCopy;

public enum PreCopyDecision
{
    ContinuePreCopy,
    StopAndCopy,
}
