using System.CommandLine;
using Migration.Cli.Output;
using Migration.Xen.Iommu;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration modes`: each invalidation mode, altp2m sharing mode and set_entry rollback, what it
/// does, and the Xen versions or thread it comes from.
/// </summary>
internal static class ModesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("modes",
            "List the invalidation modes (how Xen waits for a Device-TLB flush; --iotlb-mode, iommu.invalidation) and the altp2m sharing modes " +
            "(how mem_sharing meets altp2m views; --altp2m, altp2m) and the set_entry rollbacks (iommu.set-entry-rollback): name, origin, what each does.");
        command.SetAction(_ =>
        {
            var table = new TextTable().Column("mode").Column("origin").Column("what it does");
            foreach (var mode in InvalidationModes.All) table.Row(mode.Name, mode.Origin, mode.Summary);
            table.Write(output);
            output.WriteLine($"Default: {InvalidationModes.Of(InvalidationMode.Spin).Name} (Xen today). A flush takes a device's `flush:` (or --flush), up to the ATS limit of {InvalidationModes.AtsFlushMax.TotalSeconds:0} s.");
            WriteModes(output, "altp2m", Xen.Sharing.Altp2mSharingModes.All,
                "Default: xen. They apply to a scenario's altp2m-view, altp2m-access, altp2m-remap, share and unshare events.");
            WriteModes(output, "set-entry-rollback", Xen.Iommu.SetEntryRollbacks.All,
                "Default: xen. It applies to a scenario's mmio-map events on hosts with separate IOMMU tables (iommu.set-entry-rollback).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteModes<T>(TextWriter output, string choice, IReadOnlyList<Xen.ModeInfo<T>> modes, string footer) where T : struct, Enum
    {
        output.WriteLine();
        var table = new TextTable().Column(choice).Column("origin").Column("what it does");
        foreach (var mode in modes) table.Row(mode.Name, mode.Origin, mode.Summary);
        table.Write(output);
        output.WriteLine(footer);
    }
}
