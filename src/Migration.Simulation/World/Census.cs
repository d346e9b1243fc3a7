using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Migration.Simulation.World;

/// <summary>
/// Where every copy of every domain is and whether it runs, kept outside the modelled hosts so the
/// handover's promise can be checked as it happens: at most one copy of a domain runs, ever.
/// </summary>
/// <remarks>
/// A domain has at most two copies (a copy is created on a destination only while the source still
/// holds the domain), so its copies are a pair held in the dictionary's own storage: the census
/// costs no object per domain and no allocation per change.
/// </remarks>
public sealed class Census
{
    public const int CopiesMax = 2;

    private readonly Dictionary<string, CopyPair> copies;

    /// <param name="domainsExpected">How many domains to make room for (a run knows: its guests and one hardware domain per host).</param>
    public Census(int domainsExpected = 0)
    {
        copies = new Dictionary<string, CopyPair>(domainsExpected, StringComparer.Ordinal);
    }

    public void Created(string domain, int host, bool running)
    {
        ref var pair = ref CollectionsMarshal.GetValueRefOrAddDefault(copies, domain, out _);
        if (pair.IndexOf(host) >= 0) throw new InvalidOperationException($"domain {domain} already has a copy on host {host}");
        // A copy is created on a destination only while the source still holds the domain.
        if (pair.Count == CopiesMax) throw new InvalidOperationException($"invariant broken: {CopiesMax + 1} copies of domain {domain} exist");
        pair.Add(new Copy(host, running));
        AssertInvariants(domain, pair);
    }

    public void SetRunning(string domain, int host, bool running)
    {
        ref var pair = ref CollectionsMarshal.GetValueRefOrNullRef(copies, domain);
        var index = Unsafe.IsNullRef(ref pair) ? -1 : pair.IndexOf(host);
        if (index < 0) throw new InvalidOperationException($"domain {domain} has no copy on host {host}");
        pair.Set(index, new Copy(host, running));
        AssertInvariants(domain, pair);
    }

    public void Destroyed(string domain, int host)
    {
        ref var pair = ref CollectionsMarshal.GetValueRefOrNullRef(copies, domain);
        var index = Unsafe.IsNullRef(ref pair) ? -1 : pair.IndexOf(host);
        if (index < 0) throw new InvalidOperationException($"domain {domain} has no copy on host {host} to destroy");
        pair.RemoveAt(index);
    }

    /// <summary>The host of the running copy, else of the oldest copy, or null when the domain has none.</summary>
    public int? HostOf(string domain)
    {
        if (!copies.TryGetValue(domain, out var pair) || pair.Count == 0) return null;
        for (var i = 0; i < pair.Count; i++)
        {
            if (pair.Get(i).Running) return pair.Get(i).Host;
        }
        // Mid-handover neither copy runs: the source, created first, still holds the domain.
        return pair.Get(0).Host;
    }

    public int RunningCopies(string domain) => copies.TryGetValue(domain, out var pair) ? pair.RunningCount : 0;

    public int Copies(string domain) => copies.TryGetValue(domain, out var pair) ? pair.Count : 0;

    private static void AssertInvariants(string domain, in CopyPair pair)
    {
        // Two running copies would diverge: the handover is a two-phase commit precisely to forbid it.
        if (pair.RunningCount > 1) throw new InvalidOperationException($"invariant broken: {pair.RunningCount} copies of domain {domain} run");
    }

    private readonly record struct Copy(int Host, bool Running);

    /// <summary>Up to two copies, oldest first.</summary>
    private struct CopyPair
    {
        private Copy first;
        private Copy second;

        public int Count { get; private set; }

        public readonly int RunningCount => (Count > 0 && first.Running ? 1 : 0) + (Count > 1 && second.Running ? 1 : 0);

        public readonly Copy Get(int index) => index == 0 ? first : second;

        public readonly int IndexOf(int host) => Count > 0 && first.Host == host ? 0 : Count > 1 && second.Host == host ? 1 : -1;

        public void Add(Copy copy)
        {
            if (Count == 0) first = copy;
            else second = copy;
            Count++;
        }

        public void Set(int index, Copy copy)
        {
            if (index == 0) first = copy;
            else second = copy;
        }

        public void RemoveAt(int index)
        {
            if (index == 0) first = second;
            second = default;
            Count--;
        }
    }
}
