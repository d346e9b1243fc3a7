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
            output.WriteLine();
            var sharing = new TextTable().Column("altp2m").Column("origin").Column("what it does");
            foreach (var mode in Xen.Sharing.Altp2mSharingModes.All) sharing.Row(mode.Name, mode.Origin, mode.Summary);
            sharing.Write(output);
            output.WriteLine("Default: xen. They apply to a scenario's altp2m-view, altp2m-access, altp2m-remap, share and unshare events.");
            output.WriteLine();
            var rollback = new TextTable().Column("set-entry-rollback").Column("origin").Column("what it does");
            rollback.Row("xen", "Xen after seeds/000 (ept_set_entry(): while ( i-- ) iommu_unmap_page())",
                "a page failing to map at the end of set_entry unmaps the pages this call mapped; the P2M entry, written first, stays");
            rollback.Row("thread", "seeds/000 items 9 and 10: proposed, left open", "no rollback: the error is returned and the pages mapped before the failure stay mapped");
            rollback.Write(output);
            output.WriteLine("Default: xen. It applies to a scenario's mmio-map events on hosts with separate IOMMU tables (iommu.set-entry-rollback).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
