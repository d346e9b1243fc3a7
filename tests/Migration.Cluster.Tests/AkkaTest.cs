using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;

namespace Migration.Cluster.Tests;

/// <summary>
/// The base of tests that drive actors with Akka.TestKit: a fresh ActorSystem per test (NUnit makes
/// an instance per test case), shut down after it.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public abstract class AkkaTest : TestKitBase
{
    protected AkkaTest(Config? config = null) : base(new NUnitAssertions(), (config ?? Config.Empty).WithFallback(DefaultConfig), "test", "testActor")
    {
    }

    [TearDown]
    public void ShutDownActorSystem() => Shutdown(TimeSpan.FromSeconds(10), verifySystemShutdown: true);
}
