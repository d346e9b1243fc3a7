namespace Migration.Persistence;

/// <summary>Offered to the recovery handlers after the last stored event.</summary>
public sealed class RecoveryCompleted
{
    public static readonly RecoveryCompleted Instance = new();

    private RecoveryCompleted()
    {
    }
}
