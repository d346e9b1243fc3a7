using System.Text.Json;
using Migration.Actors;
using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;

namespace Migration.Benchmarks.Ledger;

/// <summary>Rebuilds a stored ledger run from the options recorded in its settings.</summary>
public sealed class LedgerRunDefinition : IRunDefinition
{
    public EventSerializer Serializer { get; } = LedgerWorkload.Serializer();

    public static LedgerOptions OptionsOf(RunRecord run)
    {
        try
        {
            var settings = JsonDocument.Parse(run.SettingsJson).RootElement;
            return new LedgerOptions
            {
                Seed = run.Seed,
                Hosts = settings.GetProperty("Hosts").GetInt32(),
                Accounts = settings.GetProperty("Accounts").GetInt32(),
                TickInterval = TimeSpan.FromTicks(settings.GetProperty("tickIntervalTicks").GetInt64()),
                Duration = TimeSpan.FromTicks(settings.GetProperty("durationTicks").GetInt64()),
                CrossHostLatency = TimeSpan.FromTicks(settings.GetProperty("crossHostLatencyTicks").GetInt64()),
                Mode = Enum.Parse<ExecutionMode>(settings.GetProperty("mode").GetString()!),
                DeleteAfterSnapshot = settings.GetProperty("DeleteAfterSnapshot").GetBoolean(),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new JournalException($"run '{run.RunId}' has settings this build cannot read as a ledger run: {e.Message}", e);
        }
    }

    public ActorSystem CreateSystem(RunRecord run) => LedgerWorkload.CreateSystem(OptionsOf(run));

    public void Populate(ActorSystem system, RunRecord run) => LedgerWorkload.Populate(system, OptionsOf(run));

    public TimeSpan Duration(RunRecord run) => OptionsOf(run).Duration;
}
