namespace Migration.Xen.Sharing;

/// <summary>A p2m entry's access (p2m_access_t), as mem_access sets it per view.</summary>
public enum PageAccess
{
    ReadWriteExecute,
    ReadExecute,
    Read,
    None,
}
