using Migration.Actors.Dispatch;
using Migration.Simulation.Actors;
using Migration.Simulation.Distributed;
using Migration.Simulation.Messages;
using Migration.Simulation.Running;
using Migration.Simulation.Wire;
using Migration.Xen.Policies;

namespace Migration.Simulation.Tests;

/// <summary>A link end's (or the fabric's) word on its streams, as it crosses between processes; and frames that are not one.</summary>
public sealed class StreamLimitWireTests
{
    private static (WireCodec Codec, Migration.Actors.ActorSystem System) Codec()
    {
        var scenario = Migration.Scenarios.Generators.SimGridGenerator.Generate(new Migration.Scenarios.Generators.SimGridParameters { Hosts = 4, Domains = 4 });
        var options = new RunOptions { Policy = VetoPolicy.HasDevices };
        var system = SimulationRun.CreateSystem(scenario, options);
        SimulationRun.Populate(system, scenario, options);
        return (new WireCodec(system, scenario), system);
    }

    private static WireEnvelope Word(WireCodec codec, Migration.Actors.ActorSystem system, int originHost, params StreamLimit[] limits) =>
        codec.Encode(Envelope.FromElsewhere(10, 1, originHost, EnvelopeKind.User, World.SimulationWorld.Of(system).Links[2], new StreamLimits(limits), null));

    private static StreamLimit[] RoundTrip(WireCodec codec, WireEnvelope wire) =>
        ((StreamLimits)codec.Decode(WireEnvelope.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(wire))).Message).Limits.ToArray();

    [Test]
    public void ALinksWord_CrossesWhole_EveryLimitInItsOrder()
    {
        var (codec, system) = Codec();
        StreamLimit[] limits = [new(3, 1, 2, 1, 59.5e6, 4, Ended: false), new(0, 1, 2, 1, 0, 0, Ended: true), new(5, 2, 1, 1, 12e6, 2, Ended: false)];
        Assert.That(RoundTrip(codec, Word(codec, system, 1, limits)), Is.EqualTo(limits));
    }

    [Test]
    public void TheFabricsWord_CrossesWhole_AnUnlimitedOneToo()
    {
        var (codec, system) = Codec();
        StreamLimit[] limits = [new(3, 1, 2, -1, double.PositiveInfinity, 9, Ended: false), new(4, 3, 2, -1, 20e6, 9, Ended: false)];
        Assert.That(RoundTrip(codec, Word(codec, system, FabricActor.Host, limits)), Is.EqualTo(limits));
    }

    [TestCase(7, 2, 1, "scenario has 4 hosts")]
    [TestCase(1, 2, -2, "scenario has 4 hosts")]
    public void AStreamLimitNamingAHostTheScenarioHasNot_IsRefused_Clearly(int source, int destination, int from, string fragment)
    {
        var (codec, system) = Codec();
        var wire = Word(codec, system, 1, new StreamLimit(3, 1, 2, 1, 1e6, 1, Ended: false));
        wire.StreamLimits.Limits[0].SourceHost = source;
        wire.StreamLimits.Limits[0].DestinationHost = destination;
        wire.StreamLimits.Limits[0].FromHost = from;
        var error = Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!;
        Assert.That(error.Message, Does.Contain("a wire envelope that is not one").And.Contain(fragment));
    }

    [Test]
    public void ANegativeOrNaNLimit_InAWord_IsRefused_Clearly([Values(-1.0, double.NaN)] double limit)
    {
        var (codec, system) = Codec();
        var wire = Word(codec, system, 1, new StreamLimit(4, 1, 2, 1, 2e6, 1, Ended: false), new StreamLimit(3, 1, 2, 1, 1e6, 1, Ended: false));
        wire.StreamLimits.Limits[1].Limit = limit;
        Assert.That(Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!.Message, Does.Contain("a stream limit of"));
    }

    [Test]
    public void AnEmptyWord_IsRefused_Clearly()
    {
        var (codec, system) = Codec();
        var wire = Word(codec, system, 1, new StreamLimit(3, 1, 2, 1, 1e6, 1, Ended: false));
        wire.StreamLimits.Limits.Clear();
        Assert.That(Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!.Message, Does.Contain("a link's word with no stream limit in it"));
    }

    [TestCase(3, 1, "host 3 with a stream limit from 1")]     // an end speaking for another host
    [TestCase(1, 3, "host 1 with a stream limit from 3")]     // a host speaking of a stream it is no end of
    [TestCase(2, -1, "host 2 with a stream limit from -1")]   // a link posing as the fabric
    public void AWordSpeakingForSomeoneElse_IsRefused_Clearly(int origin, int from, string fragment)
    {
        var (codec, system) = Codec();
        var wire = Word(codec, system, origin, new StreamLimit(3, 1, 2, from, 1e6, 1, Ended: false));
        var error = Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!;
        Assert.That(error.Message, Does.Contain(fragment).And.Contain("an end speaks only of its own streams"));
    }
}
