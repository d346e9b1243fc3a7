using System.CommandLine;
using Migration.Cli.Output;
using Migration.Xen.Iommu;

namespace Migration.Cli.Commands;

/// <summary>
/// `migration modes`: each invalidation mode and each altp2m sharing mode, what it does, and the Xen
/// versions or thread it comes from.
/// </summary>
internal static class ModesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("modes",
            "List the invalidation modes (how Xen waits for a Device-TLB flush; --iotlb-mode, iommu.invalidation) and the altp2m sharing modes " +
            "(how mem_sharing meets altp2m views; --altp2m, altp2m): name, origin, what each does.");
        command.SetAction(_ =>
        {
            var table = new TextTable().Column("mode").Column("origin").Column("what it does");
            foreach (var mode in InvalidationModes.All) table.Row(mode.Name, mode.Origin, mode.Summary);
            table.Write(output);
            output.WriteLine($"Default: {InvalidationModes.Of(InvalidationMode.Spin).Name} (Xen today). A flush takes a device's `flush:` (or --flush), up to the ATS limit of {InvalidationModes.AtsFlushMax.TotalSeconds:0} s.");
            output.WriteLine();
            var sharing = new TextTable().Column("altp2m").Column("origin").Column("what it does");
            foreach (var mode in Xen.Sharing.Altp2mSharingModes.All) sharing.Row(mode.Name, mode.Origin, mode.Summary);
            sharing.Write(output);
            output.WriteLine("Default: xen. They apply to a scenario's altp2m-view, altp2m-access, altp2m-remap, share and unshare events.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
