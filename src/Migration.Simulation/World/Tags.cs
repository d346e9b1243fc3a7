namespace Migration.Simulation.World;

/// <summary>Journal tags: every event about a domain carries <c>dom-NAME</c>, so its timeline is one tag query.</summary>
public static class Tags
{
    public static string Domain(string name) => "dom-" + name;
}
