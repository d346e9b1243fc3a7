namespace Migration.Simulation.World;

/// <summary>
/// Where every copy of every domain is and whether it runs, kept outside the modelled hosts so the
/// handover's promise can be checked as it happens: at most one copy of a domain runs, ever.
/// </summary>
public sealed class Census
{
    private readonly Dictionary<string, List<(int Host, bool Running)>> copies = new();

    public void Created(string domain, int host, bool running)
    {
        var list = ListOf(domain);
        if (list.Any(c => c.Host == host)) throw new InvalidOperationException($"domain {domain} already has a copy on host {host}");
        list.Add((host, running));
        AssertInvariants(domain);
    }

    public void SetRunning(string domain, int host, bool running)
    {
        var list = ListOf(domain);
        var index = list.FindIndex(c => c.Host == host);
        if (index < 0) throw new InvalidOperationException($"domain {domain} has no copy on host {host}");
        list[index] = (host, running);
        AssertInvariants(domain);
    }

    public void Destroyed(string domain, int host)
    {
        var list = ListOf(domain);
        if (list.RemoveAll(c => c.Host == host) != 1) throw new InvalidOperationException($"domain {domain} has no copy on host {host} to destroy");
    }

    /// <summary>The host of the running copy, else of the oldest copy, or null when the domain has none.</summary>
    public int? HostOf(string domain)
    {
        if (!copies.TryGetValue(domain, out var list) || list.Count == 0) return null;
        foreach (var (host, running) in list)
        {
            if (running) return host;
        }
        // Mid-handover neither copy runs: the source, created first, still holds the domain.
        return list[0].Host;
    }

    public int RunningCopies(string domain) => copies.TryGetValue(domain, out var list) ? list.Count(c => c.Running) : 0;

    public int Copies(string domain) => copies.TryGetValue(domain, out var list) ? list.Count : 0;

    private List<(int Host, bool Running)> ListOf(string domain)
    {
        if (!copies.TryGetValue(domain, out var list)) copies[domain] = list = new();
        return list;
    }

    private void AssertInvariants(string domain)
    {
        // Two running copies would diverge: the handover is a two-phase commit precisely to forbid it.
        var running = RunningCopies(domain);
        if (running > 1) throw new InvalidOperationException($"invariant broken: {running} copies of domain {domain} run");
        // A copy is created on a destination only while the source still holds the domain.
        if (Copies(domain) > 2) throw new InvalidOperationException($"invariant broken: {Copies(domain)} copies of domain {domain} exist");
    }
}
