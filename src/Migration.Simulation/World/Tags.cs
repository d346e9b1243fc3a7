namespace Migration.Simulation.World;

/// <summary>Journal tags: every event about a domain carries <c>dom-NAME</c>, so its timeline is one tag query; refusals carry <c>refusal</c> too.</summary>
public static class Tags
{
    public static string Domain(string name) => "dom-" + name;

    /// <summary>Every <c>RefusalRecorded</c> row also carries this tag, so a run's refusals are one tag query.</summary>
    public const string Refusal = "refusal";

    /// <summary>Every <c>OracleFindingRecorded</c> row also carries this tag, so a run's findings are one tag query.</summary>
    public const string Finding = "finding";
}
