namespace Migration.Xen;

/// <summary>Who refused a migration.</summary>
public enum Refuser
{
    Hypervisor,
    SourceToolstack,
    DestinationToolstack,
}

public static class RefuserNames
{
    public static string Of(Refuser refuser) => refuser switch
    {
        Refuser.Hypervisor => "hypervisor",
        Refuser.SourceToolstack => "source-toolstack",
        Refuser.DestinationToolstack => "destination-toolstack",
        _ => throw new ArgumentOutOfRangeException(nameof(refuser), refuser, null),
    };
}
