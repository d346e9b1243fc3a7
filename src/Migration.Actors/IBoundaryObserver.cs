namespace Migration.Actors;

/// <summary>
/// Something that acts at fixed boundaries of virtual time, for instance a journal committing one
/// window of events per transaction. A run pauses at every boundary (a multiple of
/// <see cref="IntervalTicks"/>) once every event before it has been delivered, on every host,
/// and calls <see cref="OnBoundary"/>. Boundaries with nothing before them since the last call are
/// folded into one call.
/// </summary>
public interface IBoundaryObserver
{
    /// <summary>The boundary spacing in <see cref="TimeSpan"/> ticks; positive.</summary>
    long IntervalTicks { get; }

    /// <summary>Every event before <paramref name="boundaryTicks"/> has been delivered.</summary>
    void OnBoundary(long boundaryTicks);
}
