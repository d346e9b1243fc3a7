namespace Migration.Xen.Toolstacks;

/// <summary>What a destination host has to offer when a migration is proposed.</summary>
/// <param name="FreeMemoryBytes">Memory not used by running domains nor reserved for incoming ones.</param>
/// <param name="FreeDevices">Free passthrough devices not reserved for incoming domains.</param>
public sealed record DestinationOffer(long FreeMemoryBytes, int FreeDevices, bool TscScaling, long TscKhz, bool Reachable = true);
