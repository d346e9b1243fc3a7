using Migration.Actors;
using Migration.Persistence.Journal;
using Migration.Persistence.Serialization;

namespace Migration.Persistence;

/// <summary>
/// How to build a stored run again from its row in the runs table (seed and settings): what
/// <see cref="JournalReplay"/> needs to resume or verify any kind of run.
/// </summary>
public interface IRunDefinition
{
    EventSerializer Serializer { get; }

    /// <summary>The actor system the run used, from the stored seed and settings.</summary>
    ActorSystem CreateSystem(RunRecord run);

    /// <summary>Creates the run's actors (after the journal is attached), as the original run did.</summary>
    void Populate(ActorSystem system, RunRecord run);

    /// <summary>The virtual time the run lasts.</summary>
    TimeSpan Duration(RunRecord run);

    /// <summary>
    /// The run's result hash once it has run: by default the engine's; a run that digests more than
    /// its deliveries (a simulation's oracle) says so here, and replay compares that.
    /// </summary>
    string ResultHash(ActorSystem system) => system.ResultHash;
}
