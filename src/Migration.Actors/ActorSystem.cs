using Migration.Actors.Dispatch;
using Migration.Actors.Events;
using Migration.Actors.Util;

namespace Migration.Actors;

/// <summary>
/// A deterministic actor system in virtual time. Actors are spread over simulated hosts; the
/// system is driven from one thread by <see cref="RunUntil"/> and <see cref="RunUntilIdle"/>, and
/// the same seed and the same calls give the same delivery sequence and <see cref="ResultHash"/>
/// in either <see cref="ExecutionMode"/>.
/// </summary>
public sealed class ActorSystem
{
    /// <summary>Default bound on events per run call, so a runaway workload (a periodic timer never goes idle) ends.</summary>
    public const long DefaultEventsMax = 1_000_000_000;

    private readonly HostScheduler[] schedulerByHost;
    private readonly HostScheduler[] schedulers;
    private readonly ActorCell[] guardians;
    private readonly DeadLetterActorRef[] deadLettersByHost;
    private readonly Pacer? pacer;
    private readonly List<IBoundaryObserver> boundaryObservers = new();
    private readonly Dictionary<Type, object> extensions = new();
    private long nextBoundaryTicks = long.MaxValue;
    private long deadLetterCount;
    private long errorCount;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        schedulerByHost = new HostScheduler[settings.HostCount];
        if (settings.Mode == ExecutionMode.Sequential)
        {
            var shared = new HostScheduler(this, -1);
            Array.Fill(schedulerByHost, shared);
            schedulers = [shared];
        }
        else
        {
            for (var host = 0; host < settings.HostCount; host++) schedulerByHost[host] = new HostScheduler(this, host);
            schedulers = schedulerByHost;
        }
        pacer = settings.Pacing is { } factor ? new Pacer(factor) : null;
        deadLettersByHost = new DeadLetterActorRef[settings.HostCount];
        for (var host = 0; host < settings.HostCount; host++) deadLettersByHost[host] = new DeadLetterActorRef(this, host);
        guardians = new ActorCell[settings.HostCount];
        for (var host = 0; host < settings.HostCount; host++)
        {
            var guardian = new ActorCell(this, Props.Create<GuardianActor>(), ActorPath.Root(name, host).Child("user"));
            guardian.Post(Migration.Actors.Create.Instance, null, EnvelopeKind.System);
            guardians[host] = guardian;
        }
    }

    public string Name { get; }

    /// <summary>The scheduler delivering right now, or null between runs (a system is driven from one thread).</summary>
    internal HostScheduler? Running { get; set; }

    /// <summary>Where a send from here goes: the running scheduler, or the recipient host's between runs.</summary>
    internal HostScheduler SchedulerForSend(int recipientHost) => Running ?? schedulerByHost[recipientHost];

    public ActorSystemSettings Settings { get; }

    public EventStream EventStream { get; } = new();

    /// <summary>Virtual now.</summary>
    public TimeSpan Now => new(schedulers.Max(s => s.NowTicks));

    /// <summary>The event loops, one per host in windowed mode, one shared in sequential mode (the cluster hooks).</summary>
    public IReadOnlyList<HostScheduler> Schedulers => schedulers;

    public long DeadLetterCount => deadLetterCount;

    public long ErrorCount => errorCount;

    /// <summary>Deliveries so far, over every host.</summary>
    public long DeliveredCount
    {
        get
        {
            long total = 0;
            for (var host = 0; host < Settings.HostCount; host++) total += schedulerByHost[host].DeliveredCount(host);
            return total;
        }
    }

    /// <summary>
    /// A digest of every delivery so far: per host, its deliveries in order (time, origin host,
    /// origin sequence, recipient path), then the hosts in order.
    /// </summary>
    public ulong ResultDigest => CombineDigests(Enumerable.Range(0, Settings.HostCount).Select(DigestOf).ToArray());

    /// <summary><see cref="ResultDigest"/> as 16 hexadecimal digits.</summary>
    public string ResultHash => ResultDigest.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ActorPath.ValidateName(name);
        settings ??= new ActorSystemSettings();
        settings.Validate();
        return new ActorSystem(name, settings);
    }

    /// <summary>Creates a top-level actor on <paramref name="host"/>; it is constructed when the system next runs.</summary>
    public IActorRef ActorOf(Props props, string? name = null, int host = 0)
    {
        if (host < 0 || host >= Settings.HostCount)
            throw new ArgumentOutOfRangeException(nameof(host), host, $"the system has hosts 0 to {Settings.HostCount - 1}");
        return guardians[host].ActorOf(props, name);
    }

    /// <summary>Stops <paramref name="actor"/> and its children now.</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is not ActorCell cell || !ReferenceEquals(cell.System, this))
            throw new ArgumentException($"{actor.Path} is not an actor of this system", nameof(actor));
        cell.StopSelf();
    }

    /// <summary>Delivers every event at or before <paramref name="until"/>; afterwards virtual now is <paramref name="until"/>.</summary>
    public RunResult RunUntil(TimeSpan until, long eventsMax = DefaultEventsMax)
    {
        if (until < Now) throw new ArgumentOutOfRangeException(nameof(until), until, $"virtual time is already {Now}");
        var (delivered, completed) = Run(until.Ticks, eventsMax);
        if (completed) AdvanceAll(until.Ticks);
        return new RunResult(delivered, completed, Now);
    }

    /// <summary>Delivers events until none is pending, or <paramref name="eventsMax"/> were delivered.</summary>
    public RunResult RunUntilIdle(long eventsMax = DefaultEventsMax)
    {
        var (delivered, completed) = Run(long.MaxValue, eventsMax);
        AdvanceAll(schedulers.Max(s => s.NowTicks));
        return new RunResult(delivered, completed, Now);
    }

    internal HostScheduler SchedulerFor(int host) => schedulerByHost[host];

    /// <summary>Registers a system-wide service (a journal, say) that actors look up by type.</summary>
    public void RegisterExtension<T>(T extension) where T : class
    {
        ArgumentNullException.ThrowIfNull(extension);
        if (!extensions.TryAdd(typeof(T), extension)) throw new InvalidOperationException($"a {typeof(T).Name} is already registered with system {Name}");
    }

    /// <summary>The registered <typeparamref name="T"/>, or null.</summary>
    public T? GetExtension<T>() where T : class => extensions.TryGetValue(typeof(T), out var extension) ? (T)extension : null;

    /// <summary>The scheduler delivering right now (null between runs): its delivery key orders what handlers do.</summary>
    public HostScheduler? RunningScheduler => Running;

    /// <summary>Pauses every run at <paramref name="observer"/>'s boundaries and calls it there.</summary>
    public void AddBoundaryObserver(IBoundaryObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (observer.IntervalTicks <= 0)
            throw new ArgumentOutOfRangeException(nameof(observer), observer.IntervalTicks, "a boundary interval must be positive");
        if (Running is not null) throw new InvalidOperationException("observers are added between runs");
        boundaryObservers.Add(observer);
        nextBoundaryTicks = NextBoundaryAfter(schedulers.Max(s => s.BoundTicks));
    }

    /// <summary>
    /// The actor at <paramref name="pathText"/> (as <see cref="ActorPath.Text"/> writes it): the one this
    /// system has there, or a <see cref="RemoteActorRef"/> standing for it (with the same host and path
    /// hash) when it has none. How a process turns the paths of a message from another process back
    /// into references.
    /// </summary>
    public IActorRef ResolvePath(string pathText)
    {
        ArgumentNullException.ThrowIfNull(pathText);
        var prefix = $"migration://{Name}@host-";
        if (!pathText.StartsWith(prefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{pathText}' is not a path of system {Name} (it starts {prefix}N/...)", nameof(pathText));
        var rest = pathText[prefix.Length..];
        var slash = rest.IndexOf('/');
        var hostText = slash < 0 ? rest : rest[..slash];
        if (!int.TryParse(hostText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var host)
            || host >= Settings.HostCount)
            throw new ArgumentException($"'{pathText}' names host '{hostText}'; this system has hosts 0 to {Settings.HostCount - 1}", nameof(pathText));
        var elements = slash < 0 ? [] : rest[(slash + 1)..].Split('/');
        if (elements is ["deadLetters"]) return deadLettersByHost[host];
        var path = ActorPath.Root(Name, host);
        foreach (var element in elements) path = path.Child(element);
        if (elements.Length > 0 && elements[0] == "user")
        {
            IActorRef? found = guardians[host];
            for (var i = 1; i < elements.Length && found is ActorCell cell; i++) found = cell.Child(elements[i]);
            if (found is not null && elements.Length > 0) return found;
        }
        return new RemoteActorRef(this, path);
    }

    /// <summary>
    /// The digest <see cref="ResultDigest"/> gives for hosts whose deliveries had these per-host digests
    /// and counts (in host order): how deliveries run in several processes are summed up as one.
    /// </summary>
    public static ulong CombineDigests(IReadOnlyList<(ulong Digest, long Delivered)> byHost)
    {
        ArgumentNullException.ThrowIfNull(byHost);
        var digest = StableHash.Mix((ulong)byHost.Count);
        foreach (var (hostDigest, delivered) in byHost) digest = StableHash.Add(StableHash.Add(digest, hostDigest), (ulong)delivered);
        return StableHash.Mix(digest);
    }

    /// <summary>The digest and the number of deliveries of <paramref name="host"/> so far.</summary>
    public (ulong Digest, long Delivered) DigestOf(int host)
    {
        var scheduler = schedulerByHost[host];
        return (scheduler.Digest(host), scheduler.DeliveredCount(host));
    }

    /// <summary>The dead-letters ref of <paramref name="host"/>: the sender of messages from outside any actor.</summary>
    public IActorRef DeadLettersOn(int host) => deadLettersByHost[host];

    internal void PublishDeadLetter(DeadLetter deadLetter)
    {
        Interlocked.Increment(ref deadLetterCount);
        // A dead letter about a dead letter (its subscriber stopped) is counted, not republished: no loops.
        if (deadLetter.Message is not DeadLetter) EventStream.Publish(deadLetter);
    }

    internal void PublishError(Error error)
    {
        Interlocked.Increment(ref errorCount);
        EventStream.Publish(error);
    }

    private (long Delivered, bool Completed) Run(long untilTicks, long eventsMax)
    {
        if (eventsMax < 1) throw new ArgumentOutOfRangeException(nameof(eventsMax), eventsMax, "must be positive");
        if (boundaryObservers.Count == 0) return RunSegment(untilTicks, eventsMax);
        long delivered = 0;
        while (true)
        {
            // Boundaries with nothing pending before them are folded: skip to the last one before the next event.
            var next = EarliestPendingTicks();
            if (next == long.MaxValue)
            {
                // Idle. Up to a bound, time still passes to it, and with it every boundary before it;
                // run until idle leaves the last window open for the caller to close.
                if (untilTicks != long.MaxValue && nextBoundaryTicks <= untilTicks)
                {
                    var last = LastBoundaryAtOrBefore(untilTicks);
                    AdvanceAll(last);
                    nextBoundaryTicks = NextBoundaryAfter(last);
                    foreach (var observer in boundaryObservers) observer.OnBoundary(last);
                }
                return (delivered, true);
            }
            if (next >= nextBoundaryTicks && nextBoundaryTicks <= untilTicks)
            {
                var boundary = LastBoundaryAtOrBefore(Math.Min(next, untilTicks));
                AdvanceAll(boundary);
                nextBoundaryTicks = NextBoundaryAfter(boundary);
                foreach (var observer in boundaryObservers) observer.OnBoundary(boundary);
                continue;
            }
            var segmentUntil = Math.Min(untilTicks, nextBoundaryTicks - 1);
            var (segmentDelivered, completed) = RunSegment(segmentUntil, eventsMax - delivered);
            delivered += segmentDelivered;
            if (!completed) return (delivered, false);
            if (segmentUntil == untilTicks) return (delivered, true);
        }
    }

    private long EarliestPendingTicks()
    {
        var earliest = long.MaxValue;
        foreach (var scheduler in schedulers)
        {
            if (scheduler.NextEventTicks is { } t && t < earliest) earliest = t;
        }
        return earliest;
    }

    /// <summary>The last boundary at or before <paramref name="ticks"/> (at least the next one due) over every observer's grid.</summary>
    private long LastBoundaryAtOrBefore(long ticks)
    {
        var last = nextBoundaryTicks;
        foreach (var observer in boundaryObservers)
        {
            var candidate = ticks / observer.IntervalTicks * observer.IntervalTicks;
            if (candidate > last) last = candidate;
        }
        return last;
    }

    /// <summary>The first boundary strictly after <paramref name="ticks"/> over every observer's grid.</summary>
    private long NextBoundaryAfter(long ticks)
    {
        var next = long.MaxValue;
        foreach (var observer in boundaryObservers)
        {
            var interval = observer.IntervalTicks;
            var candidate = (ticks / interval + 1) * interval;
            if (candidate > 0 && candidate < next) next = candidate;
        }
        return next;
    }

    private (long Delivered, bool Completed) RunSegment(long untilTicks, long eventsMax)
    {
        if (Settings.Mode == ExecutionMode.Windowed)
            return WindowedRunner.Run(schedulerByHost, Settings.CrossHostLatency.Ticks, untilTicks, eventsMax, pacer);
        var scheduler = schedulers[0];
        var end = untilTicks == long.MaxValue ? long.MaxValue : untilTicks + 1;
        var delivered = scheduler.RunWindow(end, eventsMax, pacer);
        return (delivered, scheduler.NextEventTicks is not { } next || next > untilTicks);
    }

    private void AdvanceAll(long ticks)
    {
        foreach (var scheduler in schedulers) scheduler.AdvanceTo(ticks);
    }
}
