using Migration.Actors;
using Migration.Actors.Dispatch;
using Migration.Scenarios.Model;
using Migration.Simulation.Actors;
using Migration.Simulation.Messages;
using Migration.Simulation.Reports;
using Migration.Simulation.Wire;
using Migration.Xen;
using Migration.Xen.Memory;
using Migration.Xen.Policies;

namespace Migration.Simulation.Distributed;

/// <summary>
/// The simulation's messages between hosts to and from <see cref="WireEnvelope"/> (proto/wire.proto):
/// values only, actors as paths, a domain's memory as its image. A message type that crosses hosts
/// without a form here is a bug in the simulation, reported as such.
/// </summary>
public sealed class WireCodec(ActorSystem system, Scenario scenario)
{
    public WireEnvelope Encode(in Envelope envelope)
    {
        var wire = new WireEnvelope
        {
            TimeTicks = envelope.TimeTicks, OriginSeq = envelope.OriginSeq, OriginHost = envelope.OriginHost, Kind = (int)envelope.Kind,
            Target = envelope.Target.Path.Text, Sender = envelope.Sender?.Path.Text ?? "",
        };
        switch (envelope.Message)
        {
            case MigrateDomain m: wire.MigrateDomain = new IndexOnly { Index = m.Index }; break;
            case ApplyEvent m: wire.ApplyEvent = new IndexOnly { Index = m.Index }; break;
            case DomainMoved m: wire.DomainMoved = new DomainMovedWire { Domain = m.Domain, Host = m.Host }; break;
            case ProposeMigration m:
                wire.ProposeMigration = new ProposeMigrationWire
                {
                    Index = m.Index, Domain = m.Domain, FromHost = m.FromHost, MemoryBytes = m.MemoryBytes, Tsc = Names.Of(m.Tsc), SourceTscKhz = m.SourceTscKhz,
                    DevicesNeeded = m.DevicesNeeded, ReplugDevices = m.ReplugDevices, Coordinator = m.Coordinator.Path.Text,
                };
                break;
            case MigrationAccepted m: wire.MigrationAccepted = new IndexOnly { Index = m.Index }; break;
            case MigrationRejected m: wire.MigrationRejected = Indexed(m.Index, m.Refusal); break;
            case CancelReservation m: wire.CancelReservation = new IndexOnly { Index = m.Index }; break;
            case KeepReservation m: wire.KeepReservation = new KeepReservationWire { Index = m.Index, LeaseTicks = m.LeaseTicks }; break;
            case PrepareHandover m:
                wire.PrepareHandover = new PrepareHandoverWire
                {
                    Index = m.Index, Spec = Encode(m.Spec), Facts = Encode(m.Facts), Memory = Encode(m.Memory), Incarnation = m.Incarnation,
                    DevicesAttached = m.DevicesAttached, Waive = m.Waive, Coordinator = m.Coordinator.Path.Text,
                };
                break;
            case HandoverPrepared m: wire.HandoverPrepared = Indexed(m.Index, m.Waived); break;
            case HandoverRefused m: wire.HandoverRefused = Indexed(m.Index, m.Refusal); break;
            case HandoverUnknown m: wire.HandoverUnknown = new IndexOnly { Index = m.Index }; break;
            case CommitHandover m: wire.CommitHandover = new IndexOnly { Index = m.Index }; break;
            case HandoverCommitted m:
                var committed = new HandoverCommittedWire { Index = m.Index, ResumedTicks = m.ResumedTicks };
                committed.ReplugRefusals.AddRange(m.ReplugRefusals.Select(r => new DeviceRefusalWire { Device = r.Device, Refusal = ReportWire.ToMessage(r.Refusal) }));
                wire.HandoverCommitted = committed;
                break;
            case AbortHandover m: wire.AbortHandover = new IndexOnly { Index = m.Index }; break;
            case HandoverAborted m: wire.HandoverAborted = new IndexOnly { Index = m.Index }; break;
            case StreamLimits m:
                var word = new StreamLimitsWire();
                word.Limits.AddRange(m.Limits.Select(Encode));
                wire.StreamLimits = word;
                break;
            default:
                throw new InvalidOperationException(
                    $"a {envelope.Message.GetType().Name} crosses from host {envelope.OriginHost} to {envelope.Target.Path} and has no wire form (proto/wire.proto): a simulation bug");
        }
        return wire;
    }

    /// <summary>The envelope <paramref name="wire"/> stands for, its actors resolved in this process's system.</summary>
    public Envelope Decode(WireEnvelope wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        var target = system.ResolvePath(wire.Target);
        var sender = wire.Sender.Length == 0 ? null : system.ResolvePath(wire.Sender);
        object message = wire.BodyCase switch
        {
            WireEnvelope.BodyOneofCase.MigrateDomain => new MigrateDomain(wire.MigrateDomain.Index, Migration(wire.MigrateDomain.Index)),
            WireEnvelope.BodyOneofCase.ApplyEvent => new ApplyEvent(wire.ApplyEvent.Index, Event(wire.ApplyEvent.Index)),
            WireEnvelope.BodyOneofCase.DomainMoved => new DomainMoved(wire.DomainMoved.Domain, wire.DomainMoved.Host),
            WireEnvelope.BodyOneofCase.ProposeMigration => Decode(wire.ProposeMigration),
            WireEnvelope.BodyOneofCase.MigrationAccepted => new MigrationAccepted(wire.MigrationAccepted.Index),
            WireEnvelope.BodyOneofCase.MigrationRejected => new MigrationRejected(wire.MigrationRejected.Index, RefusalOf(wire.MigrationRejected)),
            WireEnvelope.BodyOneofCase.CancelReservation => new CancelReservation(wire.CancelReservation.Index),
            WireEnvelope.BodyOneofCase.KeepReservation => new KeepReservation(wire.KeepReservation.Index, wire.KeepReservation.LeaseTicks),
            WireEnvelope.BodyOneofCase.PrepareHandover => Decode(wire.PrepareHandover),
            WireEnvelope.BodyOneofCase.HandoverPrepared => new HandoverPrepared(wire.HandoverPrepared.Index,
                wire.HandoverPrepared.Refusal is null ? null : ReportWire.FromMessage(wire.HandoverPrepared.Refusal)),
            WireEnvelope.BodyOneofCase.HandoverRefused => new HandoverRefused(wire.HandoverRefused.Index, RefusalOf(wire.HandoverRefused)),
            WireEnvelope.BodyOneofCase.HandoverUnknown => new HandoverUnknown(wire.HandoverUnknown.Index),
            WireEnvelope.BodyOneofCase.CommitHandover => new CommitHandover(wire.CommitHandover.Index),
            WireEnvelope.BodyOneofCase.HandoverCommitted => new HandoverCommitted(wire.HandoverCommitted.Index, wire.HandoverCommitted.ResumedTicks,
                wire.HandoverCommitted.ReplugRefusals.Select(r => new DeviceRefusal(r.Device, ReportWire.FromMessage(r.Refusal ?? throw Bad("a replug refusal without its refusal")))).ToArray()),
            WireEnvelope.BodyOneofCase.AbortHandover => new AbortHandover(wire.AbortHandover.Index),
            WireEnvelope.BodyOneofCase.HandoverAborted => new HandoverAborted(wire.HandoverAborted.Index),
            WireEnvelope.BodyOneofCase.StreamLimits => Decode(wire.StreamLimits, wire.OriginHost),
            _ => throw Bad($"an envelope to {wire.Target} with no message"),
        };
        if (wire.Kind is < 0 or > 2) throw Bad($"an envelope of unknown kind {wire.Kind}");
        return Envelope.FromElsewhere(wire.TimeTicks, wire.OriginSeq, wire.OriginHost, (EnvelopeKind)wire.Kind, target, message, sender);
    }

    private static StreamLimitWire Encode(StreamLimit m) => new()
    {
        Migration = m.Migration, SourceHost = m.SourceHost, DestinationHost = m.DestinationHost, FromHost = m.FromHost,
        Limit = m.Limit, Streams = m.Streams, Ended = m.Ended,
    };

    /// <summary>A word, whose every entry must be the sending end's own (or the fabric's, which lives on host 0).</summary>
    private StreamLimits Decode(StreamLimitsWire word, int originHost)
    {
        if (word.Limits.Count == 0) throw Bad("a link's word with no stream limit in it");
        var limits = new StreamLimit[word.Limits.Count];
        for (var i = 0; i < limits.Length; i++)
        {
            var limit = limits[i] = Decode(word.Limits[i]);
            var own = limit.FromHost < 0
                ? originHost == FabricActor.Host
                : limit.FromHost == originHost && (limit.FromHost == limit.SourceHost || limit.FromHost == limit.DestinationHost);
            if (!own)
                throw Bad($"a word from host {originHost} with a stream limit from {limit.FromHost} on migration {limit.Migration} between hosts {limit.SourceHost} and {limit.DestinationHost}: an end speaks only of its own streams, the fabric only from host {FabricActor.Host}");
        }
        return new StreamLimits(limits);
    }

    private StreamLimit Decode(StreamLimitWire m)
    {
        var hosts = scenario.Hosts.Count;
        if (m.SourceHost < 0 || m.SourceHost >= hosts || m.DestinationHost < 0 || m.DestinationHost >= hosts || m.FromHost < -1 || m.FromHost >= hosts)
            throw Bad($"a stream limit between hosts {m.SourceHost} and {m.DestinationHost} from {m.FromHost}, and the scenario has {hosts} hosts");
        if (!(m.Limit >= 0) || m.Streams < 0)
            throw Bad($"a stream limit of {m.Limit} bytes/s shared by {m.Streams} streams (migration {m.Migration})");
        return new StreamLimit(m.Migration, m.SourceHost, m.DestinationHost, m.FromHost, m.Limit, m.Streams, m.Ended);
    }

    private ProposeMigration Decode(ProposeMigrationWire m) => new(
        m.Index, m.Domain, m.FromHost, m.MemoryBytes, Parse<TscMode>(m.Tsc, Names.TryParse), m.SourceTscKhz, m.DevicesNeeded, m.ReplugDevices,
        system.ResolvePath(m.Coordinator));

    private PrepareHandover Decode(PrepareHandoverWire m) => new(
        m.Index, Decode(m.Spec ?? throw Bad("a prepare without the domain's spec")), Decode(m.Facts ?? throw Bad("a prepare without the domain's facts")),
        Decode(m.Memory ?? throw Bad("a prepare without the domain's memory")), m.Incarnation, m.DevicesAttached, m.Waive, system.ResolvePath(m.Coordinator));

    private static IndexedRefusal Indexed(int index, Refusal? refusal)
    {
        var wire = new IndexedRefusal { Index = index };
        if (refusal is not null) wire.Refusal = ReportWire.ToMessage(refusal);
        return wire;
    }

    private static Refusal RefusalOf(IndexedRefusal wire) => ReportWire.FromMessage(wire.Refusal ?? throw Bad($"migration {wire.Index}: a refusal message without its refusal"));

    private static DomainSpecWire Encode(DomainSpec s) => new()
    {
        Name = s.Name, Host = s.Host, MemoryBytes = s.MemoryBytes, Vcpus = s.Vcpus, DirtyBytesPerSecond = s.Workload.DirtyBytesPerSecond,
        WorkingSetFraction = s.Workload.WorkingSetFraction, IommuEnabled = s.IommuEnabled, SyncPageTables = s.SyncPageTables, MemSharing = s.MemSharing,
        MemPaging = s.MemPaging, PopulateOnDemand = s.PopulateOnDemand, Nomigrate = s.Nomigrate, Tsc = Names.Of(s.Tsc),
        HasIo = s.Io is not null, IoGrantsPerSecond = s.Io?.GrantsPerSecond ?? 0, IoBalloonPagesPerSecond = s.Io?.BalloonPagesPerSecond ?? 0,
        IoTransfersPerSecond = s.Io?.TransfersPerSecond ?? 0,
    };

    private static IoSpec? DecodeIo(DomainSpecWire s)
    {
        if (!s.HasIo) return null;
        foreach (var (what, rate) in new[] { ("grants", s.IoGrantsPerSecond), ("balloon", s.IoBalloonPagesPerSecond), ("transfers", s.IoTransfersPerSecond) })
        {
            if (!(double.IsFinite(rate) && rate >= 0)) throw Bad($"domain {s.Name}: io {what} rate {rate} is not a rate");
        }
        return new IoSpec { GrantsPerSecond = s.IoGrantsPerSecond, BalloonPagesPerSecond = s.IoBalloonPagesPerSecond, TransfersPerSecond = s.IoTransfersPerSecond };
    }

    private static DomainSpec Decode(DomainSpecWire s) => new()
    {
        Name = s.Name, Host = s.Host, MemoryBytes = s.MemoryBytes, Vcpus = s.Vcpus,
        Workload = new WorkloadSpec { DirtyBytesPerSecond = s.DirtyBytesPerSecond, WorkingSetFraction = s.WorkingSetFraction },
        IommuEnabled = s.IommuEnabled, SyncPageTables = s.SyncPageTables, MemSharing = s.MemSharing, MemPaging = s.MemPaging,
        PopulateOnDemand = s.PopulateOnDemand, Nomigrate = s.Nomigrate, Tsc = Parse<TscMode>(s.Tsc, Names.TryParse), Io = DecodeIo(s),
    };

    private static DomainFactsWire Encode(DomainFacts f)
    {
        var wire = new DomainFactsWire
        {
            Name = f.Name, IsHardwareDomain = f.IsHardwareDomain, Vendor = Names.Of(f.Vendor), IommuEnabled = f.IommuEnabled,
            IommuLifetime = Names.Of(f.IommuLifetime), SharedPageTables = f.SharedPageTables, MemSharing = f.MemSharing, MemPaging = f.MemPaging,
            PopulateOnDemand = f.PopulateOnDemand, GlobalLogDirty = f.GlobalLogDirty, Nomigrate = f.Nomigrate, Tsc = Names.Of(f.Tsc),
        };
        wire.Devices.AddRange(f.Devices.Select(d => new DeviceFactsWire
        {
            Bdf = d.Bdf, BusMaster = d.BusMaster, DeclaredReadOnly = d.DeclaredReadOnly, EmulatorReportsDirty = d.EmulatorReportsDirty, Broken = d.Broken,
        }));
        return wire;
    }

    private static DomainFacts Decode(DomainFactsWire f) => new()
    {
        Name = f.Name, IsHardwareDomain = f.IsHardwareDomain, Vendor = Parse<IommuVendor>(f.Vendor, Names.TryParse), IommuEnabled = f.IommuEnabled,
        IommuLifetime = Parse<IommuLifetime>(f.IommuLifetime, Names.TryParse), SharedPageTables = f.SharedPageTables,
        Devices = f.Devices.Select(d => new DeviceFacts(d.Bdf, d.BusMaster, d.DeclaredReadOnly, d.EmulatorReportsDirty, d.Broken)).ToArray(),
        MemSharing = f.MemSharing, MemPaging = f.MemPaging, PopulateOnDemand = f.PopulateOnDemand, GlobalLogDirty = f.GlobalLogDirty,
        Nomigrate = f.Nomigrate, Tsc = Parse<TscMode>(f.Tsc, Names.TryParse),
    };

    private static MemoryImageWire Encode(MemoryImage m)
    {
        var wire = new MemoryImageWire
        {
            PageCount = m.PageCount, WorkingSetFraction = m.WorkingSetFraction, DirtyBytesPerSecond = m.DirtyBytesPerSecond, WriterSeed = m.WriterSeed,
            CpuTicksBefore = m.CpuTicksBefore,
        };
        foreach (var chunk in m.DmaChunks)
        {
            var wireChunk = new DmaChunkWire { Index = chunk.Index };
            wireChunk.Versions.AddRange(chunk.Versions);
            wire.DmaChunks.Add(wireChunk);
        }
        return wire;
    }

    private static MemoryImage Decode(MemoryImageWire m) => new(
        m.PageCount, m.WorkingSetFraction, m.DirtyBytesPerSecond, m.WriterSeed, m.CpuTicksBefore,
        m.DmaChunks.Select(c => new MemoryImage.DmaChunk(c.Index, c.Versions.ToArray())).ToArray());

    private MigrationSpec Migration(int index) =>
        index >= 0 && index < scenario.Migrations.Count ? scenario.Migrations[index] : throw Bad($"migration {index}: the scenario has {scenario.Migrations.Count}");

    private EventSpec Event(int index) =>
        index >= 0 && index < scenario.Events.Count ? scenario.Events[index] : throw Bad($"event {index}: the scenario has {scenario.Events.Count}");

    private delegate bool Parser<T>(string? name, out T value);

    private static T Parse<T>(string name, Parser<T> parse) => parse(name, out var value) ? value : throw Bad($"unknown {typeof(T).Name} '{name}'");

    private static InvalidDataException Bad(string what) => new($"a wire envelope that is not one: {what}");
}
