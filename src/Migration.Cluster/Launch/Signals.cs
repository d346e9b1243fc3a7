using System.Runtime.InteropServices;

namespace Migration.Cluster.Launch;

/// <summary>POSIX signals to a process: what `cluster up` and the tests send to node processes.</summary>
public static class Signals
{
    public const int Term = 15;
    public const int Kill = 9;
    public const int Stop = 19;
    public const int Continue = 18;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when there is no such process.</summary>
    public static bool Send(int pid, int signal)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("POSIX signals: stop a node on Windows with Ctrl+C in its console");
        return SysKill(pid, signal) == 0;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
}
