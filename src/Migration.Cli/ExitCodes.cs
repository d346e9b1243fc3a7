namespace Migration.Cli;

/// <summary>The process exit codes, one meaning each.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and found a failure (a check that did not hold, an error while running).</summary>
    public const int Failed = 1;

    /// <summary>The command line, a file or a setting was wrong; nothing ran.</summary>
    public const int BadInput = 2;
}
