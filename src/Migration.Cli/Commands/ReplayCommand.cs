using System.CommandLine;
using Migration.Cli.Arguments;
using Migration.Cli.Output;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Simulation.Reports;
using Migration.Simulation.Running;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration replay [--journal URI] [--run ID] [--verify] [--domain NAME]`: a stored run read back:
/// its verdicts, a domain's timeline, or (with --verify) the run executed again and checked event by
/// event against the journal.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>--verify prints at most this many divergences (the count says how many there were).</summary>
    public const int DivergencesShownMax = 10;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var runOption = new Option<string?>("--run") { Description = "The run id (`migration runs` lists them). Default: the newest run.", HelpName = "ID" };
        var verify = new Option<bool>("--verify")
        {
            Description = "Execute the run again from its stored seed and settings; every event must equal the stored one and the result hash the stored hash (exit 1 otherwise).",
        };
        var domain = new Option<string?>("--domain") { Description = "Print this domain's timeline: each event with its virtual time.", HelpName = "NAME" };
        var command = new Command("replay", "Read a stored run back: its migrations, a domain's timeline (--domain), or re-execute and check it (--verify).")
        {
            runOption, verify, domain,
        };
        var journal = JournalOptions.ForReading(command);
        command.SetAction(parse =>
        {
            using var store = journal.OpenForReading(parse);
            var run = FindRun(store, parse.GetValue(runOption));
            var hostNames = SimulationRunDefinition.Read(run).Scenario.Hosts.Select(h => h.Name).ToArray();
            var domainName = parse.GetValue(domain);
            if (domainName is not null) CheckDomain(store, run.RunId, domainName);
            output.WriteLine($"run {run.RunId}: {run.Description} ({run.Status.ToString().ToLowerInvariant()}, result hash {run.ResultHash ?? "none"})");
            var exitCode = ExitCodes.Ok;
            if (parse.GetValue(verify))
            {
                error.WriteLine($"replay: executing {run.RunId} again and comparing every event with {store.DisplayUri}");
                exitCode = WriteVerification(output, Simulator.Verify(store, run.RunId), run.EngineVersion);
            }
            if (domainName is not null)
            {
                output.WriteLine($"timeline of domain {domainName}:");
                foreach (var line in TimelineReader.Render(store, run.RunId, domainName, hostNames)) output.WriteLine(line);
            }
            if (!parse.GetValue(verify) && domainName is null)
            {
                MigrationTable.Write(output, TimelineReader.Verdicts(store, run.RunId).Select(m => MigrationRow.Of(m, hostNames)).ToArray());
                RefusalTable.Write(output, TimelineReader.Refusals(store, run.RunId).Select(r => RefusalRow.Of(r.Ticks, r.Refusal, hostNames)).ToArray());
                FindingTable.Write(output, TimelineReader.Findings(store, run.RunId)
                    .Select(f => (f.Ticks / (double)TimeSpan.TicksPerMillisecond, (uint)f.Finding.Host < (uint)hostNames.Length ? hostNames[f.Finding.Host] : $"host {f.Finding.Host}", f.Finding.Domain, f.Finding.Check, f.Finding.Description)).ToArray());
            }
            return exitCode;
        });
        return command;
    }

    private static RunRecord FindRun(IJournalStore store, string? runId)
    {
        if (runId is not null)
        {
            return store.ReadRun(runId)
                   ?? throw new BadInputException($"{store.DisplayUri} has no run '{runId}'; `migration runs{JournalOptions.ArgumentFor(store)}` lists the runs it has");
        }
        var runs = store.ReadRuns();
        return runs.Count > 0 ? runs[0] : throw new BadInputException($"{store.DisplayUri} holds no runs yet; `migration run` writes one");
    }

    private static void CheckDomain(IJournalStore store, string runId, string domain)
    {
        var domains = TimelineReader.Domains(store, runId);
        if (!domains.Contains(domain, StringComparer.Ordinal))
            throw new BadInputException($"--domain: run {runId} has no domain '{domain}' (its domains: {string.Join(", ", domains)})");
    }

    private static int WriteVerification(TextWriter output, VerificationResult result, string recordedBy)
    {
        output.WriteLine($"stored hash:     {result.StoredHash ?? "none"}");
        output.WriteLine($"recomputed hash: {result.RecomputedHash}");
        output.WriteLine($"events verified: {MigrationTable.Count(result.EventsVerified)}");
        output.WriteLine($"divergences:     {MigrationTable.Count(result.Divergences.Count)}");
        foreach (var divergence in result.Divergences.Take(DivergencesShownMax)) output.WriteLine($"  {divergence.Message}");
        if (result.Divergences.Count > DivergencesShownMax) output.WriteLine($"  ... and {MigrationTable.Count(result.Divergences.Count - DivergencesShownMax)} more");
        output.WriteLine(result.Matches ? "verified: the run reproduces exactly" : "NOT verified: the run does not reproduce what the journal holds");
        // A run is reproduced by the build that recorded it; another build may schedule or generate differently.
        if (!result.Matches && recordedBy != PersistenceExtension.EngineVersion)
            output.WriteLine($"note: the run was recorded by build {recordedBy}; this is build {PersistenceExtension.EngineVersion}, which may simulate differently");
        return result.Matches ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
