using Migration.Actors.Dispatch;
using Migration.Simulation.Distributed;
using Migration.Simulation.Messages;
using Migration.Simulation.Running;
using Migration.Simulation.Wire;
using Migration.Xen.Policies;

namespace Migration.Simulation.Tests;

/// <summary>A link end's word on a stream, as it crosses between processes; and a frame that is not one.</summary>
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

    [Test]
    public void AStreamLimit_CrossesWhole_AnUnlimitedOneToo()
    {
        var (codec, system) = Codec();
        var target = World.SimulationWorld.Of(system).Links[2];
        foreach (var limit in new[] { new StreamLimit(3, 1, 2, 1, 59.5e6, 4, Ended: false), new StreamLimit(3, 1, 2, -1, double.PositiveInfinity, 9, Ended: false) })
        {
            var wire = codec.Encode(Envelope.FromElsewhere(10, 1, 1, EnvelopeKind.User, target, limit, null));
            var back = codec.Decode(WireEnvelope.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(wire)));
            Assert.That(back.Message, Is.EqualTo(limit));
        }
    }

    [Test]
    public void ALinksWord_CrossesWhole_EveryLimitInItsOrder()
    {
        var (codec, system) = Codec();
        var target = World.SimulationWorld.Of(system).Links[2];
        StreamLimit[] limits = [new(3, 1, 2, 1, 59.5e6, 4, Ended: false), new(0, 1, 2, 1, 0, 0, Ended: true), new(5, 2, 1, 1, 12e6, 2, Ended: false)];
        var wire = codec.Encode(Envelope.FromElsewhere(10, 1, 1, EnvelopeKind.User, target, new StreamLimits(limits), null));
        var back = codec.Decode(WireEnvelope.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(wire)));
        Assert.That(((StreamLimits)back.Message).Limits, Is.EqualTo(limits));
    }

    [Test]
    public void AnEmptyWord_OrOneWithABadLimit_IsRefused_Clearly()
    {
        var (codec, system) = Codec();
        var target = World.SimulationWorld.Of(system).Links[2];
        var wire = codec.Encode(Envelope.FromElsewhere(10, 1, 1, EnvelopeKind.User, target, new StreamLimits([new StreamLimit(3, 1, 2, 1, 1e6, 1, Ended: false)]), null));
        wire.StreamLimits.Limits[0].SourceHost = 9;
        Assert.That(Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!.Message, Does.Contain("scenario has 4 hosts"));
        wire.StreamLimits.Limits.Clear();
        Assert.That(Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!.Message, Does.Contain("a link's word with no stream limit in it"));
    }

    [TestCase(7, 2, 1, "scenario has 4 hosts")]
    [TestCase(1, 2, -2, "scenario has 4 hosts")]
    public void AStreamLimitNamingAHostTheScenarioHasNot_IsRefused_Clearly(int source, int destination, int from, string fragment)
    {
        var (codec, system) = Codec();
        var target = World.SimulationWorld.Of(system).Links[2];
        var wire = codec.Encode(Envelope.FromElsewhere(10, 1, 1, EnvelopeKind.User, target, new StreamLimit(3, 1, 2, 1, 1e6, 1, Ended: false), null));
        wire.StreamLimit.SourceHost = source;
        wire.StreamLimit.DestinationHost = destination;
        wire.StreamLimit.FromHost = from;
        var error = Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!;
        Assert.That(error.Message, Does.Contain("a wire envelope that is not one").And.Contain(fragment));
    }

    [Test]
    public void ANegativeOrNaNLimit_IsRefused_Clearly([Values(-1.0, double.NaN)] double limit)
    {
        var (codec, system) = Codec();
        var target = World.SimulationWorld.Of(system).Links[2];
        var wire = codec.Encode(Envelope.FromElsewhere(10, 1, 1, EnvelopeKind.User, target, new StreamLimit(3, 1, 2, 1, 1e6, 1, Ended: false), null));
        wire.StreamLimit.Limit = limit;
        Assert.That(Assert.Throws<InvalidDataException>(() => codec.Decode(wire))!.Message, Does.Contain("a stream limit of"));
    }
}
