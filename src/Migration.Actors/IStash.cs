namespace Migration.Actors;

/// <summary>Set messages aside and take them back later, in the order they arrived, ahead of newer ones.</summary>
public interface IStash
{
    /// <summary>Sets the message being handled aside.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>Drops every stashed message (they become dead letters).</summary>
    void ClearStash();

    int Count { get; }
}
