namespace Migration.Simulation.Bench;

/// <summary>One `bench sim` figure: virtual time simulated per wall-clock second.</summary>
public sealed record SimBenchResult(string Name, int Hosts, double VirtualSeconds, double WallSeconds)
{
    public double VirtualSecondsPerWallSecond => WallSeconds > 0 ? VirtualSeconds / WallSeconds : double.PositiveInfinity;
}
