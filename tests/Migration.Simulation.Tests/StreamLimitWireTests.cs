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
