using Migration.Actors;
using Migration.Xen.Oracle;

namespace Migration.Simulation.World;

/// <summary>The oracles of the migrations in progress, by migration index (outside the modelled hosts).</summary>
public sealed class MigrationOracleRegistry
{
    private readonly Dictionary<int, MigrationOracle> byMigration = new();

    public static MigrationOracleRegistry Of(ActorSystem system) =>
        system.GetExtension<MigrationOracleRegistry>() ?? throw new InvalidOperationException("the system has no oracle registry");

    public MigrationOracle Open(int migration)
    {
        var oracle = new MigrationOracle();
        if (!byMigration.TryAdd(migration, oracle)) throw new InvalidOperationException($"migration {migration} already has an oracle");
        return oracle;
    }

    public MigrationOracle? Find(int migration) => byMigration.GetValueOrDefault(migration);

    public void Close(int migration)
    {
        if (byMigration.Remove(migration, out var oracle)) oracle.Dispose();
    }
}
