namespace Migration.Xen;

/// <summary>Who refused a migration or an operation.</summary>
public enum Refuser
{
    Hypervisor,
    SourceToolstack,
    DestinationToolstack,

    /// <summary>A host's toolstack asked to do something outside a migration (a scenario event: hot-plug, hot-unplug).</summary>
    Toolstack,
}

public static class RefuserNames
{
    public static string Of(Refuser refuser) => refuser switch
    {
        Refuser.Hypervisor => "hypervisor",
        Refuser.SourceToolstack => "source-toolstack",
        Refuser.DestinationToolstack => "destination-toolstack",
        Refuser.Toolstack => "toolstack",
        _ => throw new ArgumentOutOfRangeException(nameof(refuser), refuser, null),
    };

    public static bool TryParse(string name, out Refuser refuser)
    {
        foreach (var candidate in Enum.GetValues<Refuser>())
        {
            if (Of(candidate) == name)
            {
                refuser = candidate;
                return true;
            }
        }
        refuser = default;
        return false;
    }
}
