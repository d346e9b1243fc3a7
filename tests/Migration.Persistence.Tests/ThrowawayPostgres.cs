using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Migration.Persistence.Tests;

/// <summary>
/// A PostgreSQL server of the tests' own, for when MIGRATION_TEST_POSTGRES is not set but Debian's
/// server package is installed: initdb into a temporary directory, started on a free loopback port
/// (as the postgres user when the tests run as root, which PostgreSQL refuses to run as), with a
/// user and database for the tests; stopped and removed when the test process exits. Started at
/// most once per test process, on first use.
/// </summary>
internal static class ThrowawayPostgres
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);
    private static readonly Lazy<(string? ConnectionString, string? Why)> Server = new(Start);

    /// <summary>The server's connection string, or null and why there is none.</summary>
    public static (string? ConnectionString, string? Why) Get() => Server.Value;

    private static (string? ConnectionString, string? Why) Start()
    {
        var bin = ServerBinaries();
        if (bin is null) return (null, "PostgreSQL's server package is not installed (no /usr/lib/postgresql/*/bin/initdb; on Debian: apt-get install postgresql)");
        RemoveStopped();
        var directory = Directory.CreateTempSubdirectory(Prefix).FullName;
        var asPostgres = Environment.UserName == "root";
        try
        {
            if (asPostgres) Run("chown", ["postgres:postgres", directory], asPostgres: false);
            var data = Path.Combine(directory, "data");
            var port = FreePort();
            Run(Path.Combine(bin, "initdb"), ["-D", data, "--auth-local=trust", "--auth-host=scram-sha-256", "-U", "postgres", "--no-sync"], asPostgres);
            Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], asPostgres);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(bin, data, directory, asPostgres);
            Run(Path.Combine(bin, "psql"), ["-h", directory, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE USER migration WITH PASSWORD 'migration'", "-c", "CREATE DATABASE migration_test OWNER migration"], asPostgres);
            return ($"Host=127.0.0.1;Port={port};Username=migration;Password=migration;Database=migration_test", null);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            var log = Path.Combine(directory, "server.log");
            return (null, $"could not start a throwaway PostgreSQL: {e.Message}{(File.Exists(log) ? "\n" + File.ReadAllText(log) : "")}");
        }
    }

    private const string Prefix = "migration-test-postgres-";

    /// <summary>
    /// Removes what earlier test processes left behind: a test host may be ended before its exit
    /// handler finishes. A directory whose server is not running (no postmaster.pid) is removed.
    /// </summary>
    private static void RemoveStopped()
    {
        foreach (var stale in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (File.Exists(Path.Combine(stale, "data", "postmaster.pid"))) continue;
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or in use: not ours to remove.
            }
        }
    }

    private static string? ServerBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderBy(b => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : new Version(0, 0))
            .LastOrDefault();
    }

    private static void Stop(string bin, string data, string directory, bool asPostgres)
    {
        try
        {
            Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The process is exiting; a server that will not stop is left to the OS.
        }
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the temporary directory; the next test process removes it.
        }
    }

    private static void Run(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {StepTimeout.TotalSeconds:0} s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited {process.ExitCode}: {error.Result}{output.Result}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
