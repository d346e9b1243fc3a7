using System.CommandLine;
using System.CommandLine.Parsing;
using Migration.Scenarios;
using Migration.Simulation.Running;
using Migration.Xen;
using Migration.Xen.Iommu;

namespace Migration.Cli.Arguments;

/// <summary>
/// `--iotlb-mode`, `--flush` and `--altp2m`, which `run`, `cluster up` and `experiment` share: the
/// scenario's invalidation mode, every ATS device's Device-TLB flush latency and the scenario's altp2m
/// sharing rules, overridden for this run.
/// </summary>
internal sealed class ModeOptions
{
    private readonly Option<InvalidationMode?> mode = new("--iotlb-mode")
    {
        Description = $"How Xen waits for a Device-TLB flush: {string.Join(", ", Names.AllInvalidationModes)} (see `migration modes`). Default: the scenario's iommu.invalidation, else spin (Xen 4.16 and later).",
        HelpName = "MODE",
        CustomParser = result => ParseMode(result, Single(result)),
    };

    private readonly Option<TimeSpan?> flush = new("--flush")
    {
        Description = $"Every ATS device takes this long to complete a Device-TLB flush (0 to {InvalidationModes.AtsFlushMax.TotalSeconds:0} s, for example 5s or 200ms). Default: each device's flush in the scenario.",
        HelpName = "DURATION",
        CustomParser = ParseFlush,
    };

    private readonly Option<Xen.Sharing.Altp2mSharingMode?> altp2m = new("--altp2m")
    {
        Description = $"Whose rules reconcile mem_sharing with altp2m views: {string.Join(", ", Names.AllAltp2mModes)} (see `migration modes`). Default: the scenario's altp2m, else xen (what Xen merged).",
        HelpName = "RULES",
        CustomParser = result => Names.TryParse(Single(result), out Xen.Sharing.Altp2mSharingMode parsed)
            ? parsed
            : SimulationOptions.Unknown<Xen.Sharing.Altp2mSharingMode>(result, "altp2m sharing mode", Single(result), Names.AllAltp2mModes),
    };

    public ModeOptions(Command command, bool varyModes = false)
    {
        if (varyModes)
        {
            Modes = new Option<IReadOnlyList<InvalidationMode>?>("--iotlb-modes")
            {
                Description = $"Run every policy and seed under each of these invalidation modes, comma-separated ({string.Join(", ", Names.AllInvalidationModes)}): one row per mode. Default: the scenario's only.",
                HelpName = "A,B",
                CustomParser = ParseModes,
            };
            command.Options.Add(Modes);
        }
        command.Options.Add(mode);
        command.Options.Add(flush);
        command.Options.Add(altp2m);
    }

    /// <summary>--iotlb-modes, where the command varies them.</summary>
    public Option<IReadOnlyList<InvalidationMode>?>? Modes { get; }

    /// <summary>The options with what the command line overrides.</summary>
    public RunOptions Apply(ParseResult parse, RunOptions options)
    {
        if (Modes is not null && parse.GetValue(Modes) is not null && parse.GetValue(mode) is not null)
            throw new BadInputException("--iotlb-mode and --iotlb-modes: give one or the other");
        return options with
        {
            Invalidation = parse.GetValue(mode) ?? options.Invalidation, Flush = parse.GetValue(flush) ?? options.Flush, Altp2m = parse.GetValue(altp2m) ?? options.Altp2m,
        };
    }

    private static string Single(ArgumentResult result) => SimulationOptions.Single(result);

    private static InvalidationMode? ParseMode(ArgumentResult result, string name) =>
        Names.TryParse(name, out InvalidationMode parsed) ? parsed : SimulationOptions.Unknown<InvalidationMode>(result, "invalidation mode", name, Names.AllInvalidationModes);

    private static IReadOnlyList<InvalidationMode>? ParseModes(ArgumentResult result) =>
        SimulationOptions.ParseList(result, "--iotlb-modes", name => ParseMode(result, name));

    private static TimeSpan? ParseFlush(ArgumentResult result)
    {
        var text = Single(result);
        if (!Units.TryParseDuration(text, out var latency, out var problem))
        {
            result.AddError($"--flush: {problem}");
            return null;
        }
        if (latency < TimeSpan.Zero || latency > InvalidationModes.AtsFlushMax)
        {
            result.AddError($"--flush: {text} is outside 0 to {InvalidationModes.AtsFlushMax.TotalSeconds:0} s, the time the ATS specification gives a device to complete an invalidation");
            return null;
        }
        return latency;
    }
}
