namespace Migration.Actors;

/// <summary>An actor failed; published on the event stream with the actor's path and what its supervisor did.</summary>
public sealed record Error(ActorPath Source, Exception Cause, string Message)
{
    public override string ToString() => $"[{Source}] {Message}";
}
