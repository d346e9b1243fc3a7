namespace Migration.Actors;

/// <summary>Makes the recipient fail with <see cref="ActorKilledException"/>; its supervisor decides what follows (by default, stop).</summary>
public sealed class Kill
{
    public static readonly Kill Instance = new();

    private Kill()
    {
    }

    public override string ToString() => "Kill";
}
