namespace Migration.Xen;

/// <summary>
/// What <c>migration</c> calls one mode of a choice where Xen and a thread differ, and where it comes
/// from: one row of a table that both names it (<see cref="Names"/>) and describes it (<c>migration modes</c>).
/// </summary>
/// <param name="Mode">The mode.</param>
/// <param name="Name">Its name on the command line and in scenario files.</param>
/// <param name="Origin">The Xen versions that do this, or the thread that proposed it.</param>
/// <param name="Summary">What it does, in a sentence.</param>
public sealed record ModeInfo<T>(T Mode, string Name, string Origin, string Summary) where T : struct, Enum;
